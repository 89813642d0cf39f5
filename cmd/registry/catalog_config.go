package main

import (
	"net/mail"
	"net/url"
	"strings"

	"github.com/hanoicreative/registry/internal/linkeddata"
)

// CatalogConfig is what GET /v1/catalog says of the data, for open-data
// portals. It is exported only because caarlos0/env sets the fields of an
// embedded struct through its exported name (serveConfig embeds it). The
// defaults are linkeddata.DefaultCatalog's (a test keeps them equal).
type CatalogConfig struct {
	CatalogTitle        string       `env:"CATALOG_TITLE" envDefault:"Sổ đăng ký cộng đồng sáng tạo Hà Nội" flag:"catalog-title" help:"the dataset's title in Vietnamese, in the DCAT-AP catalogue (GET /v1/catalog)"`
	CatalogTitleEn      string       `env:"CATALOG_TITLE_EN" envDefault:"Hà Nội Creative Registry" flag:"catalog-title-en" help:"the dataset's title in English, in the catalogue"`
	CatalogPublisher    string       `env:"CATALOG_PUBLISHER" envDefault:"Hà Nội Creative Registry" flag:"catalog-publisher" help:"the name of the body that publishes the data, in the catalogue"`
	CatalogPublisherURL absoluteURL  `env:"CATALOG_PUBLISHER_URL" flag:"catalog-publisher-url" absent:"none" help:"the publisher's web site, which identifies it in the catalogue"`
	CatalogLicense      absoluteURL  `env:"CATALOG_LICENSE" envDefault:"https://creativecommons.org/licenses/by/4.0/" flag:"catalog-license" help:"the URI of the data's licence, in the catalogue (CC BY 4.0 by default)"`
	CatalogContactEmail emailAddress `env:"CATALOG_CONTACT_EMAIL" flag:"catalog-contact-email" absent:"none" help:"whom to ask about the data: the catalogue's contact point"`
}

// info is the catalogue's description for the HTTP edge.
func (c CatalogConfig) info() linkeddata.CatalogInfo {
	return linkeddata.CatalogInfo{Title: c.CatalogTitle, TitleEn: c.CatalogTitleEn, Publisher: c.CatalogPublisher,
		PublisherURL: string(c.CatalogPublisherURL), License: string(c.CatalogLicense), ContactEmail: string(c.CatalogContactEmail)}
}

// absoluteURL is an http or https URL, kept exactly as written: a licence
// is known by its URI, trailing slash included.
type absoluteURL string

func (u *absoluteURL) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	p, err := url.Parse(s)
	if err != nil || p.Scheme != "http" && p.Scheme != "https" || p.Host == "" || p.User != nil {
		return valueError("use an absolute http or https URL, such as https://creativecommons.org/licenses/by/4.0/")
	}
	*u = absoluteURL(s)
	return nil
}

// emailAddress is a bare e-mail address.
type emailAddress string

func (e *emailAddress) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s {
		return valueError("use an e-mail address, such as opendata@example.vn")
	}
	*e = emailAddress(s)
	return nil
}
