package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/hanoicreative/registry/internal/auth"
)

// RateLimit is a per-client request rate: Requests per Per, with bursts
// of up to Requests.
type RateLimit struct {
	Requests int
	Per      time.Duration
}

// ParseRateLimit parses "20/s", "300/m" or "5000/h".
func ParseRateLimit(s string) (*RateLimit, error) {
	n, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	count, err := strconv.Atoi(n)
	if !ok || err != nil || count < 1 {
		return nil, fmt.Errorf("RATE_LIMIT %q: use N/s, N/m or N/h, such as 20/s", s)
	}
	per := map[string]time.Duration{"s": time.Second, "m": time.Minute, "h": time.Hour}[unit]
	if per == 0 {
		return nil, fmt.Errorf("RATE_LIMIT %q: the unit must be s, m or h", s)
	}
	return &RateLimit{Requests: count, Per: per}, nil
}

// limiter keeps a token bucket per client. Buckets of clients not seen
// for a while are dropped, so memory stays bounded by active clients.
type limiter struct {
	limit rate.Limit
	burst int
	per   time.Duration

	mu      sync.Mutex
	buckets map[string]*bucket
	sweep   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(rl RateLimit) *limiter {
	return &limiter{
		limit: rate.Limit(float64(rl.Requests) / rl.Per.Seconds()), burst: rl.Requests, per: rl.Per,
		buckets: map[string]*bucket{}, sweep: time.Now(),
	}
}

// take spends a token of the client's bucket. It returns whether the
// request may go on, the tokens left and how long until one more.
func (l *limiter) take(client string, now time.Time) (ok bool, remaining float64, wait time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.sweep) > time.Minute {
		for id, b := range l.buckets {
			if now.Sub(b.seen) > 2*l.per+time.Minute {
				delete(l.buckets, id)
			}
		}
		l.sweep = now
	}
	b, found := l.buckets[client]
	if !found {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[client] = b
	}
	b.seen = now
	ok = b.lim.AllowN(now, 1)
	remaining = b.lim.TokensAt(now)
	if remaining < 1 {
		wait = time.Duration((1 - remaining) / float64(l.limit) * float64(time.Second))
	}
	return ok, remaining, wait
}

// admitted reports whether client has a bucket: for a key, whether it
// has been verified since its bucket was last dropped.
func (l *limiter) admitted(client string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, ok := l.buckets[client]
	return ok
}

// admit gives a verified key a bucket of its own.
func (l *limiter) admit(client string, now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, ok := l.buckets[client]; !ok {
		l.buckets[client] = &bucket{lim: rate.NewLimiter(l.limit, l.burst), seen: now}
	}
}

// unlimitedPaths are the probes: they must never be turned away by a busy
// client's budget.
var unlimitedPaths = map[string]bool{"/healthz": true, "/readyz": true}

// rateLimit answers 429 to clients over their rate, with Retry-After, and
// tells every client where it stands with RateLimit-* headers. It runs
// before the key is looked up, so a request over the limit costs no
// database query (see rateLimitClient).
func (s *Server) rateLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if unlimitedPaths[c.Request().URL.Path] {
			return next(c)
		}
		now := time.Now()
		client, keyID := s.rateLimitClient(c)
		ok, remaining, wait := s.limiter.take(client, now)
		h := c.Response().Header()
		refill := time.Duration((float64(s.limiter.burst) - remaining) / float64(s.limiter.limit) * float64(time.Second))
		h.Set("RateLimit-Limit", strconv.Itoa(s.limiter.burst))
		h.Set("RateLimit-Remaining", strconv.Itoa(int(math.Max(0, math.Floor(remaining)))))
		h.Set("RateLimit-Reset", strconv.Itoa(int(math.Ceil(refill.Seconds()))))
		h.Set("RateLimit-Policy", fmt.Sprintf("%d;w=%d", s.limiter.burst, int(s.limiter.per.Seconds())))
		if !ok {
			h.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
			return echo.NewHTTPError(http.StatusTooManyRequests, detailf("Too many requests: at most %d per %s for each client. Retry after Retry-After seconds.", s.limiter.burst, s.limiter.per))
		}
		err := next(c)
		if k := apiKey(c); k != nil && keyID != "" && k.ID == keyID {
			s.limiter.admit("key:"+keyID, now)
		}
		return err
	}
}

// rateLimitClient names the bucket a request is counted against, from
// what it presents and without a database query: a key verified before
// has its own bucket; a well-formed key not verified yet is counted
// against its address's bucket of unverified keys (so that a flood of
// made-up keys is limited per address, and a new partner key is not
// turned away because others at its address browse a lot); anything else
// against the address. keyID is the presented key's id, if well-formed.
func (s *Server) rateLimitClient(c echo.Context) (client, keyID string) {
	if token, ok := bearerToken(c); ok {
		if id, ok := auth.KeyID(token); ok {
			if s.limiter.admitted("key:" + id) {
				return "key:" + id, id
			}
			return "unverified:" + c.RealIP(), id
		}
	}
	return "ip:" + c.RealIP(), ""
}
