package ids

import "testing"

func TestMake(t *testing.T) {
	s := New(Word, "_")
	for _, tc := range []struct{ want, got string }{
		{"s_deploy-prod", "s_deploy_prod"},
		{"s_deploy_prod", "s_deploy_prod_2"},
		{"s_deploy prod", "s_deploy_prod_3"},
		{"s_日本", "s___"},
	} {
		if got := s.Make(tc.want); got != tc.got {
			t.Errorf("Make(%q) = %q, want %q", tc.want, got, tc.got)
		}
	}
	d := New(WordOrDash, "-")
	if a, b := d.Make("step-a"), d.Make("step-a"); a != "step-a" || b != "step-a-2" {
		t.Errorf("dash ids: %q, %q", a, b)
	}
}
