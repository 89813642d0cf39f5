package webhooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"github.com/hanoicreative/registry/internal/registry"
)

// Timeout bounds a delivery: connecting, sending and the answer's headers
// and body. An endpoint that takes longer has failed.
const Timeout = 10 * time.Second

// maxResponse is how much of an answer's body is read (and thrown away),
// so that a connection can be reused without a hostile endpoint making
// the registry read forever.
const maxResponse = 64 << 10

var errPrivateTarget = errors.New("the address is private, loopback or reserved; webhooks go to public addresses only")

// newHTTPClient is the client of deliveries: no proxy, no redirects
// followed (a 3xx is a failure), and, unless allowPrivate, connections only
// to public addresses. The check is in the dialer's Control, which sees
// the address after DNS resolution, so a name that resolves (or is
// re-pointed) to an internal address is refused too.
func newHTTPClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{
		Timeout: Timeout,
		Control: func(network, address string, _ syscall.RawConn) error {
			if allowPrivate {
				return nil
			}
			ap, err := netip.ParseAddrPort(address)
			if err != nil || !registry.PublicAddr(ap.Addr()) {
				return errPrivateTarget
			}
			return nil
		},
	}
	transport := &http.Transport{
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   Timeout,
		ResponseHeaderTimeout: Timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// outcome is what one attempt got.
type outcome struct {
	status     int           // 0: no answer
	err        string        // why it failed, for the delivery log
	retryAfter time.Duration // the answer's Retry-After, if any
}

func (o outcome) ok() bool { return o.status >= 200 && o.status < 300 }

// send posts one signed event.
func send(ctx context.Context, client *http.Client, allowPrivate bool, target, msgID string, secrets []string, body []byte, now time.Time) outcome {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && !(allowPrivate && u.Scheme == "http")) {
		return outcome{err: "The endpoint's URL is not https; webhooks are sent over https only."}
	}
	ts := now.Unix()
	sig, err := Signature(secrets, msgID, ts, body)
	if err != nil {
		return outcome{err: err.Error()}
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return outcome{err: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "hanoi-creative-registry-webhooks/1")
	req.Header.Set("webhook-id", msgID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("webhook-signature", sig)
	res, err := client.Do(req)
	if err != nil {
		if errors.Is(err, errPrivateTarget) {
			return outcome{err: errPrivateTarget.Error() + "."}
		}
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return outcome{err: fmt.Sprintf("The endpoint did not answer within %s.", Timeout)}
		}
		return outcome{err: "The request failed: " + err.Error()}
	}
	defer res.Body.Close()
	io.Copy(io.Discard, io.LimitReader(res.Body, maxResponse))
	o := outcome{status: res.StatusCode, retryAfter: retryAfter(res.Header.Get("Retry-After"), now)}
	if !o.ok() {
		o.err = fmt.Sprintf("The endpoint answered %d %s.", res.StatusCode, http.StatusText(res.StatusCode))
	}
	return o
}

// retryAfter reads Retry-After: seconds or an HTTP date.
func retryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
