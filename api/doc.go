package api

// The general description of the API, read by swag (make docs).
//
//	@title						Hà Nội Creative Registry API
//	@version					1.0
//	@description				The public registry of Hà Nội's creative community: the members of the Hanoi Creative Space Network (creative spaces, designers, artisans, design brands, training institutions, businesses), each tagged with the cultural-industry sectors it works in.
//	@description
//	@description				Reads are public open data. Writes need `Authorization: Bearer <api key>`.
//	@description				JSON in and out, UTF-8 (text is normalised to Unicode NFC), snake_case fields, times in RFC 3339 UTC, ids are UUIDs (v7); an entity is also reachable by its slug wherever {id} appears.
//	@description				Every error is an RFC 9457 problem document (`application/problem+json`) with `type`, `title`, `status`, `detail`, `instance`, `request_id` and, for invalid input, `errors` listing every failing field. Messages are in Vietnamese when `Accept-Language` prefers `vi`, else English (`Content-Language` says which); field `code`s do not change with the language. Every response carries `X-Request-Id` (echoed when the client sends a sane one).
//	@description				Writes are optimistic: read the entity's `ETag` and send it back as `If-Match`. `PATCH` takes a JSON merge patch (RFC 7396): only the fields to change, null to remove one.
//	@description				Every `GET` is also answered to `HEAD` (the same status and headers, no body). Public reads carry `ETag` and `Cache-Control`; send the ETag back as `If-None-Match` to get `304 Not Modified` while the answer is unchanged, for listings, stats and reference data as for single entities. An answer holding a secret (a new API key) is `Cache-Control: no-store`.
//	@description				With rate limiting on, answers carry `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` and `RateLimit-Policy`, and a 429 carries `Retry-After`. Operations with `security: []` need no key; listings and stats also take an editor key, for archived entities.
//	@description
//	@description				Departures from a plain reading of the contract, on purpose: unknown query parameters are a 400 (a typo never silently widens a listing); `""` and `null` both mean "absent" in inputs, and absent optional values are returned as null; `If-Match: *` is accepted (RFC 9110) and matches any current version; facets and stats leave out values with no entity; `GET /metrics` (Prometheus) is not on this address but on a listener of its own (`METRICS_ADDR`, 127.0.0.1:9090 by default), so the public cannot read it and scrapes are never rate limited.
//	@contact.name				Registry maintainers
//	@license.name				Data: CC BY 4.0; ward boundaries MIT (thanglequoc/vietnamese-provinces-database)
//	@license.url				https://creativecommons.org/licenses/by/4.0/
//	@BasePath					/
//	@tag.name					entities
//	@tag.description			Members of the creative community.
//	@tag.name					reference
//	@tag.description			Sectors, kinds and wards.
//	@tag.name					research
//	@tag.description			Counts, exports (see GET /v1/entities) and the change feed.
//	@tag.name					linked-data
//	@tag.description			The registry as a DCAT-AP catalogue for open-data portals (entities in schema.org JSON-LD: GET /v1/entities/{id} with Accept: application/ld+json).
//	@tag.name					keys
//	@tag.description			API keys (admin only).
//	@tag.name					operations
//	@tag.description			Health, readiness and this document.
//	@securityDefinitions.apikey	BearerKey
//	@in							header
//	@name						Authorization
//	@description				An API key: "Bearer <key>".
