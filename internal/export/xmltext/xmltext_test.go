package xmltext

import (
	"encoding/xml"
	"testing"
)

// What Escape writes reads back, through a real XML parser, as the text
// it was given (less what XML cannot hold).
func TestEscapeReadsBack(t *testing.T) {
	for _, in := range []string{`a & b`, `</bpmn:task><x>`, "two\nlines\tand \"quotes\"", "cr\rhere", `"]; click x call alert(1)`, "ünïcødé 日本"} {
		var got struct {
			Attr string `xml:"a,attr"`
			Text string `xml:",chardata"`
		}
		doc := `<e a="` + Escape(in, true) + `">` + Escape(in, false) + `</e>`
		if err := xml.Unmarshal([]byte(doc), &got); err != nil {
			t.Fatalf("%q: %v in %s", in, err, doc)
		}
		if got.Attr != in {
			t.Errorf("attribute: %q read back as %q", in, got.Attr)
		}
		if got.Text != in {
			t.Errorf("text: %q read back as %q", in, got.Text)
		}
	}
	if got := Escape("bell\x07 \xff end\uFFFE", true); got != "bell  end" {
		t.Errorf("characters XML cannot hold: %q", got)
	}
}
