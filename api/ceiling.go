package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// The ceiling is a benchmarking aid, off unless Config.BenchCeiling: the
// same server, through the same middleware, answering a fixed page of 50
// entities that it encodes on every request. The load benchmark measures
// the real endpoints as a fraction of it, so machine noise cancels. It
// encodes with encoding/json, as it did when the targets were set against
// it: a yardstick that moved whenever the answers' encoder got faster
// would lower every ratio, 304s' most, though they encode nothing.

// ceilingPage is the fixed page: 50 entities shaped like real ones.
func ceilingPage() EntityList {
	out := EntityList{Page: PageInfo{Limit: 50, Total: 10000}}
	ward, code, city := "Hoàn Kiếm", "00070", "Hà Nội"
	for i := range 50 {
		name := fmt.Sprintf("Không Gian Sáng Tạo Số %d", i)
		desc := "Không gian sáng tạo cho cộng đồng thiết kế, thủ công và nghệ thuật đương đại của Hà Nội."
		year := 1990 + i
		web := fmt.Sprintf("https://khong-gian-%d.example.vn", i)
		t := time.Date(2026, 11, 1, 8, 0, i, 0, time.UTC)
		out.Data = append(out.Data, Entity{
			ID: fmt.Sprintf("0193b0c4-5d1e-7c2a-9f00-%012d", i), Slug: fmt.Sprintf("khong-gian-sang-tao-so-%d", i),
			Name: name, Kind: "creative-space", Sectors: []string{"design", "crafts"}, Description: &desc,
			Address:  Address{Ward: &ward, WardCode: &code, City: &city},
			Location: &Location{Lat: 21.0287, Lon: 105.8524}, Contact: Contact{Website: &web},
			Links: []string{}, FoundedYear: &year, Photos: []Photo{}, Status: "active", Version: 1, CreatedAt: t, UpdatedAt: t,
		})
	}
	return out
}

func (s *Server) ceiling(page EntityList) echo.HandlerFunc {
	return func(c echo.Context) error {
		res := c.Response()
		res.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
		res.WriteHeader(http.StatusOK)
		enc := json.NewEncoder(res)
		enc.SetEscapeHTML(false)
		return enc.Encode(page)
	}
}
