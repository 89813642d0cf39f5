package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
	echoSwagger "github.com/swaggo/echo-swagger"
)

// swaggerUI serves Swagger UI on the OpenAPI 3 document. echo-swagger's
// URL option appends to its default list (doc.json, doc.yaml: a Swagger
// 2.0 document registered with swag, which this service does not
// register) and the page opens on the first entry, so the list is
// replaced, not added to.
func swaggerUI() echo.HandlerFunc {
	return echoSwagger.EchoWrapHandler(func(c *echoSwagger.Config) {
		c.URLs = []string{"/openapi.json"}
	})
}

// toOpenAPI sends the addresses echo-swagger would serve its own document
// at (/swagger/doc.json, /swagger/doc.yaml, bookmarked or linked from old
// pages) to the one OpenAPI document; JSON is YAML too.
func toOpenAPI(c echo.Context) error {
	return c.Redirect(http.StatusMovedPermanently, "/openapi.json")
}
