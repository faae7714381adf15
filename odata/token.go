package odata

import (
	"encoding/base64"
	"fmt"
	"hash/fnv"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// fingerprint ties a skiptoken to the query that produced it.
func (q *Query) fingerprint() uint32 {
	h := fnv.New32a()
	if q == nil {
		return h.Sum32()
	}
	if q.Resource != nil {
		h.Write([]byte(q.Resource.Type))
	}
	h.Write([]byte{0})
	if q.Filter != nil {
		h.Write([]byte(q.Filter.String()))
	}
	h.Write([]byte{0})
	if q.Search != nil {
		h.Write([]byte(q.Search.String()))
	}
	for _, ob := range q.OrderBy {
		fmt.Fprintf(h, "\x00%s %t", ob.Property, ob.Desc)
	}
	return h.Sum32()
}

const skipTokenPrefix = "gm1"

// encodeSkipToken makes the opaque $skiptoken: base64url of "gm1.<offset>.<fp>".
func encodeSkipToken(offset int, fp uint32) string {
	raw := skipTokenPrefix + "." + strconv.Itoa(offset) + "." + strconv.FormatUint(uint64(fp), 16)
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func decodeSkipToken(tok string, fp uint32) (int, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimSpace(tok))
	if err != nil {
		return 0, false
	}
	parts := strings.Split(string(raw), ".")
	if len(parts) != 3 || parts[0] != skipTokenPrefix {
		return 0, false
	}
	off, err := strconv.Atoi(parts[1])
	if err != nil || off < 0 {
		return 0, false
	}
	got, err := strconv.ParseUint(parts[2], 16, 32)
	if err != nil || uint32(got) != fp {
		return 0, false
	}
	return off, true
}

// NextLinkQuery builds the query string of @odata.nextLink: every original
// option kept, $skiptoken replaced (graph-facts §6.5). Keys are sorted; `$` in
// option names is left unescaped as Graph writes it.
func NextLinkQuery(original url.Values, skipToken string) string {
	keys := make([]string, 0, len(original)+1)
	for k := range original {
		if strings.EqualFold(k, "$skiptoken") {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	write := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(strings.ReplaceAll(url.QueryEscape(k), "%24", "$"))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	for _, k := range keys {
		for _, v := range original[k] {
			write(k, v)
		}
	}
	if skipToken != "" {
		write("$skiptoken", skipToken)
	}
	return b.String()
}
