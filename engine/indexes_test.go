package engine

import (
	"bytes"
	"testing"

	memdb "github.com/hashicorp/go-memdb"
)

// The engine's indexers must produce the keys of the go-memdb indexers they replace.
func TestIndexersMatchMemdb(t *testing.T) {
	values := []string{"", "abc", "ABC", "Ünïcödé Name", "İstanbul", "MiXeD@Contoso.Example", "a\x00b"}
	ours := userField(func(u *User) string { return u.DisplayName })
	theirs := &memdb.StringFieldIndex{Field: "DisplayName", Lowercase: true}
	for _, v := range values {
		u := &User{DisplayName: v}
		ok1, k1, err1 := ours.FromObject(u)
		ok2, k2, err2 := theirs.FromObject(u)
		if ok1 != ok2 || !bytes.Equal(k1, k2) || (err1 == nil) != (err2 == nil) {
			t.Errorf("FromObject(%q) = %v %q %v, memdb %v %q %v", v, ok1, k1, err1, ok2, k2, err2)
		}
		a1, _ := ours.FromArgs(v)
		a2, _ := theirs.FromArgs(v)
		p1, _ := ours.PrefixFromArgs(v)
		p2, _ := theirs.PrefixFromArgs(v)
		if !bytes.Equal(a1, a2) || !bytes.Equal(p1, p2) {
			t.Errorf("FromArgs(%q) = %q %q, memdb %q %q", v, a1, p1, a2, p2)
		}
	}
	if _, _, err := ours.FromObject(&Group{}); err == nil {
		t.Error("FromObject accepted a group")
	}

	rec := licenseAssignmentsTable().Indexes[IndexID].Indexer.(strsIndex)
	compound := &memdb.CompoundIndex{Indexes: []memdb.Indexer{
		&memdb.StringFieldIndex{Field: "Path"}, &memdb.StringFieldIndex{Field: "UserID"}, &memdb.StringFieldIndex{Field: "SkuID"},
	}}
	for _, r := range []*LicenseAssignment{{Path: "g", UserID: "U", SkuID: "s"}, {Path: DirectPath, UserID: "u1", SkuID: ""}, {UserID: "u", SkuID: "s"}} {
		ok1, k1, _ := rec.FromObject(r)
		ok2, k2, _ := compound.FromObject(r)
		if ok1 != ok2 || !bytes.Equal(k1, k2) {
			t.Errorf("record %+v: key %v %q, memdb %v %q", r, ok1, k1, ok2, k2)
		}
	}
	for _, args := range [][]any{{"g", "u", "s"}, {"g", ""}, {"g"}, {"g", "u", "s", "x"}, {"g", 1}} {
		a1, err1 := rec.FromArgs(args...)
		a2, err2 := compound.FromArgs(args...)
		p1, perr1 := rec.PrefixFromArgs(args...)
		p2, perr2 := compound.PrefixFromArgs(args...)
		if !bytes.Equal(a1, a2) || (err1 == nil) != (err2 == nil) || !bytes.Equal(p1, p2) || (perr1 == nil) != (perr2 == nil) {
			t.Errorf("args %v: %q %v / %q %v, memdb %q %v / %q %v", args, a1, err1, p1, perr1, a2, err2, p2, perr2)
		}
	}
}
