// Package llmtest writes the responses of an OpenAI-compatible
// chat-completions server, for tests that stand one up with httptest. It
// holds the wire format in one place for every package that fakes a model.
package llmtest

import (
	"encoding/json"
	"net/http"
)

// Reply writes a successful chat completion whose one choice is content.
func Reply(w http.ResponseWriter, model, content string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"id":     "chatcmpl-test",
		"object": "chat.completion",
		"model":  model,
		"choices": []any{map[string]any{
			"index":         0,
			"message":       map[string]any{"role": "assistant", "content": content},
			"finish_reason": "stop",
		}},
	})
}

// Error writes an OpenAI-style error body with the status code.
func Error(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{
		"error": map[string]any{"message": msg, "type": "invalid_request_error", "code": nil},
	})
}
