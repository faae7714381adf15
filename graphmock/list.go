package graphmock

import (
	"errors"
	"net/http"

	"github.com/graphmock/graphmock/engine"
	"github.com/graphmock/graphmock/odata"
)

// defaultPageSize is the page size of directory collections without $top (graph-facts §6.4).
const defaultPageSize = 100

// parseQuery parses and checks a request's query options against a resource's capability table.
// A property graphmock does not keep, named in any option, is odata's 501 naming it.
func parseQuery(r *http.Request, res *odata.Resource) (*odata.Query, error) {
	return odata.Parse(odata.Request{Values: r.URL.Query(), ConsistencyLevel: r.Header.Get("ConsistencyLevel")}, res)
}

// parseCountQuery parses the options of a /$count segment request (header required, graph-facts §2.9).
func parseCountQuery(r *http.Request, res *odata.Resource) (*odata.Query, error) {
	return odata.ParseCount(odata.Request{Values: r.URL.Query(), ConsistencyLevel: r.Header.Get("ConsistencyLevel")}, res)
}

// entityRecord lets the OData evaluator read an object through its wire description, so
// $filter, $search and $orderby see exactly the values a response would carry.
type entityRecord[T any] struct {
	et  *entityType[T]
	obj *T
	// extra holds filter-only values a response never carries (hasMembersWithLicenseErrors).
	extra map[string]any
}

// Property implements odata.Record.
func (e entityRecord[T]) Property(name string) (any, bool) {
	if v, ok := e.extra[name]; ok {
		return v, true
	}
	p, ok := e.et.lookup(name)
	if !ok {
		return nil, false
	}
	return recordValue(p.get(e.obj)), true
}

// recordValue converts wire values (object, []object) into odata.Record forms.
func recordValue(v any) any {
	switch x := v.(type) {
	case object:
		return objectRecord(x)
	case []object:
		out := make([]odata.Record, len(x))
		for i, o := range x {
			out[i] = objectRecord(o)
		}
		return out
	}
	return v
}

// objectRecord reads a wire object's members.
type objectRecord object

// Property implements odata.Record.
func (o objectRecord) Property(name string) (any, bool) {
	v, ok := object(o).get(name)
	return recordValue(v), ok
}

// directoryRecord is a user or group in a directoryObject collection.
type directoryRecord struct{ engine.DirectoryObject }

// Property implements odata.Record.
func (d directoryRecord) Property(name string) (any, bool) {
	if d.User != nil {
		return entityRecord[engine.User]{et: userType, obj: d.User}.Property(name)
	}
	return entityRecord[engine.Group]{et: groupType, obj: d.Group}.Property(name)
}

// collection is one page of a collection response.
type collection struct {
	context string
	values  []object
	count   int
	next    string
}

// pageOf runs the list pipeline — filter, search, order, count, page — over records.
func pageOf[T odata.Record](q *odata.Query, items []T) ([]T, int, string, error) {
	return odata.Page(q, items, defaultPageSize)
}

// writeCollection writes {"@odata.context", "@odata.count"?, "@odata.nextLink"?, "value"}:
// @odata.count only when counting was requested and allowed (graph-facts §6.5).
func writeCollection(w http.ResponseWriter, r *http.Request, q *odata.Query, c collection) {
	if c.values == nil {
		c.values = []object{}
	}
	body := object{{"@odata.context", c.context}}
	if q != nil && q.Count && q.SkipToken == "" {
		body = append(body, field{"@odata.count", c.count})
	}
	if c.next != "" {
		body = append(body, field{"@odata.nextLink", baseURL(r) + clientPath(r) + "?" + odata.NextLinkQuery(r.URL.Query(), c.next)})
	}
	body = append(body, field{"value", c.values})
	writeJSON(w, http.StatusOK, body)
}

// listEntities serves a collection of one entity type: the pipeline, then each item encoded
// with the selected properties.
func listEntities[T any](w http.ResponseWriter, r *http.Request, q *odata.Query, et *entityType[T], set string, items []*T) error {
	return listRecords(w, r, q, et, set, records(et, items), nil)
}

// listRecords is listEntities over records already built; expand, when set, adds the expanded
// relationships to each item.
func listRecords[T any](w http.ResponseWriter, r *http.Request, q *odata.Query, et *entityType[T], set string, recs []entityRecord[T], expand func(*T) ([]field, error)) error {
	pg, count, next, err := pageOf(q, recs)
	if err != nil {
		return err
	}
	values := make([]object, len(pg))
	for i, rec := range pg {
		values[i] = et.encode(rec.obj, q.Select, false)
		if expand != nil {
			more, err := expand(rec.obj)
			if err != nil {
				return err
			}
			values[i] = append(values[i], more...)
		}
	}
	writeCollection(w, r, q, collection{context: contextURL(r, selectFragment(set, q.Select)), values: values, count: count, next: next})
	return nil
}

// countEntities serves a /$count segment: the number of items the query's filter matches, as text.
func countEntities[T odata.Record](w http.ResponseWriter, q *odata.Query, items []T) error {
	q.Top = 0
	_, count, _, err := odata.Page(q, items, 1)
	if err != nil {
		return err
	}
	writeCount(w, count)
	return nil
}

// odataStatus adapts odata errors to the one error writer.
func odataStatus(err error) (*httpError, bool) {
	var oe *odata.Error
	if !errors.As(err, &oe) {
		return nil, false
	}
	return newHTTPError(oe.Status, oe.Code, oe.Message), true
}
