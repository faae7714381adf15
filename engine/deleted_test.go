package engine

import "testing"

func TestDeletedUPNRenamesOnceAndRestores(t *testing.T) {
	t.Parallel()
	const id = "4D2C8A10-7B3E-4F6A-9C1D-2E5F7A9B1C3D"
	renamed := DeletedUPN(id, "alice@contoso.example")
	if want := "4d2c8a107b3e4f6a9c1d2e5f7a9b1c3dalice@contoso.example"; renamed != want {
		t.Fatalf("DeletedUPN = %q, want %q", renamed, want)
	}
	if again := DeletedUPN(id, renamed); again != renamed {
		t.Fatalf("DeletedUPN of a renamed name = %q", again)
	}
	if got := OriginalUPN(id, renamed); got != "alice@contoso.example" {
		t.Fatalf("OriginalUPN = %q", got)
	}
	if got := OriginalUPN(id, "alice@contoso.example"); got != "alice@contoso.example" {
		t.Fatalf("OriginalUPN of a name not renamed = %q", got)
	}
}

func TestDeletedUserFreesItsName(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	u := mustCreateUser(t, s, "ren")
	if err := s.Update(admin, func(tx *Txn) error { return tx.DeleteUser(u.ID) }); err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Txn) error {
		obj, err := tx.DeletedObject(u.ID)
		if err != nil || obj.User.UserPrincipalName != DeletedUPN(u.ID, "ren@t.example") {
			t.Fatalf("deleted user %v, %v", obj.User, err)
		}
		if ids := obj.User.Identities; len(ids) == 0 || ids[0].IssuerAssignedID != obj.User.UserPrincipalName {
			t.Fatalf("deleted user's identities %v", ids)
		}
		return nil
	})
	mustCreateUser(t, s, "ren") // the name is free
	err := s.Update(admin, func(tx *Txn) error { _, err := tx.RestoreObject(u.ID); return err })
	if e, ok := err.(*Error); !ok || e.Kind != KindBadRequest {
		t.Fatalf("restore while the name is taken: %v", err)
	}
}

func TestMembershipCycleListsNeitherGroupAmongItsOwn(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	var p, c string
	err := s.Update(admin, func(tx *Txn) error {
		gp, err := tx.CreateGroup(&Group{DisplayName: "P", MailNickname: "p", SecurityEnabled: true})
		if err != nil {
			return err
		}
		gc, err := tx.CreateGroup(&Group{DisplayName: "C", MailNickname: "c", SecurityEnabled: true})
		if err != nil {
			return err
		}
		p, c = gp.ID, gc.ID
		if err := tx.AddMember(p, c); err != nil {
			return err
		}
		return tx.AddMember(c, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Txn) error {
		of, err := tx.TransitiveMemberOf(p)
		if err != nil || len(of) != 1 || of[0].ID != c {
			t.Fatalf("transitiveMemberOf(P) = %v, %v; want [C]", of, err)
		}
		members, err := tx.TransitiveMembers(p)
		if err != nil || len(members) != 1 || members[0].ID() != c {
			t.Fatalf("transitiveMembers(P) = %v, %v; want [C]", members, err)
		}
		return nil
	})
}
