package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestDebugServerIsLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "example.org:0", "nonsense"} {
		if srv, _, err := serveDebug(addr); err == nil {
			srv.Close()
			t.Errorf("serveDebug(%q) accepted a non-loopback address", addr)
		}
	}
}

func TestDebugServerPublishesRuntimeNumbers(t *testing.T) {
	srv, addr, err := serveDebug("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	resp, err := http.Get("http://" + addr + "/debug/vars")
	if err != nil {
		t.Fatal(err)
	}
	var vars struct {
		Goroutines int `json:"goroutines"`
		Memstats   struct {
			HeapInuse uint64 `json:"HeapInuse"`
		} `json:"memstats"`
	}
	err = json.NewDecoder(resp.Body).Decode(&vars)
	resp.Body.Close()
	if err != nil || vars.Goroutines < 1 || vars.Memstats.HeapInuse == 0 {
		t.Fatalf("/debug/vars: %+v, %v; want goroutines and memstats", vars, err)
	}
	// Freeing memory changes the process: POST only.
	for method, want := range map[string]int{"POST": http.StatusNoContent, "GET": http.StatusMethodNotAllowed} {
		req, _ := http.NewRequest(method, "http://"+addr+"/debug/freeosmemory", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s /debug/freeosmemory: %d, want %d", method, resp.StatusCode, want)
		}
	}
}
