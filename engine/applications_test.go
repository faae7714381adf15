package engine

import (
	"testing"
)

func TestPutApplication(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		app     Application
		wantErr bool
	}{
		{name: "minimal", app: Application{AppID: "6A1E4F0C-2B7D-4C59-8E3A-9D0B5F7C1A23", DisplayName: "app"}},
		{name: "with credentials", app: Application{AppID: "b8f3c6d2-9e1a-4a7b-8c05-4d2e6f8a0b39", DisplayName: "app",
			PasswordCredentials: []PasswordCredential{{SecretText: "s"}}, KeyCredentials: []KeyCredential{{Key: []byte{1, 2}}}}},
		{name: "appId not a GUID", app: Application{AppID: "nope", DisplayName: "app"}, wantErr: true},
		{name: "no displayName", app: Application{AppID: "b8f3c6d2-9e1a-4a7b-8c05-4d2e6f8a0b39"}, wantErr: true},
		{name: "bad service principal id", app: Application{AppID: "b8f3c6d2-9e1a-4a7b-8c05-4d2e6f8a0b39", DisplayName: "app", ServicePrincipalID: "x"}, wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s, err := NewStore(Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got *Application
			err = s.Update(Actor{}, func(tx *Txn) error {
				var err error
				got, err = tx.PutApplication(&tc.app)
				return err
			})
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
			if err != nil {
				return
			}
			if !IsGUID(got.ID) || !IsGUID(got.ServicePrincipalID) {
				t.Errorf("ids not generated: %+v", got)
			}
			for _, pc := range got.PasswordCredentials {
				if !IsGUID(pc.KeyID) {
					t.Errorf("secret keyId %q", pc.KeyID)
				}
			}
			_ = s.View(func(tx *Txn) error {
				a, err := tx.ApplicationByAppID(tc.app.AppID) // case-insensitive
				if err != nil || a == nil || a.ID != got.ID {
					t.Errorf("ApplicationByAppID: %v %v", a, err)
				}
				n := 0
				_ = tx.Applications(func(*Application) bool { n++; return true })
				if n != 1 {
					t.Errorf("%d applications", n)
				}
				return nil
			})
			// The caller's value is not aliased by the stored copy.
			if len(tc.app.PasswordCredentials) > 0 && tc.app.PasswordCredentials[0].KeyID != "" {
				t.Error("input mutated")
			}
		})
	}
}

func TestApplicationByAppIDMissing(t *testing.T) {
	t.Parallel()
	s, err := NewStore(Options{})
	if err != nil {
		t.Fatal(err)
	}
	_ = s.View(func(tx *Txn) error {
		if a, err := tx.ApplicationByAppID("b8f3c6d2-9e1a-4a7b-8c05-4d2e6f8a0b39"); a != nil || err != nil {
			t.Errorf("%v %v", a, err)
		}
		return nil
	})
}
