package http

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"foresight/assets"
	"foresight/internal/export"
	"foresight/internal/i18n"
	"foresight/internal/pdf"
	"foresight/internal/workshop"
	"foresight/views"
)

// exportWorkshop is the workshop of the path for its owner and organisers.
// Anyone else who is signed in, or a participant, gets 403; an anonymous
// visitor is sent to sign in.
func (s *Server) exportWorkshop(w http.ResponseWriter, r *http.Request) (*workshop.Workshop, bool) {
	ws, _, err := s.managedWorkshop(r)
	err = s.managerAPIError(r, err)
	if requireSignIn(w, r, err) {
		return nil, false
	}
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	return ws, true
}

// handleExport handles "GET /workshops/{code}/export/{file}" for
// ratings.csv, summary.csv, rationales.csv, workshop.json and
// workshop.xlsx: a download, streamed from one snapshot of the store while
// voting goes on.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request) {
	format, ok := export.FormatOfFile(r.PathValue("file"))
	if !ok {
		s.error(w, r, workshop.Errorf(workshop.ENotFound, "error.no_such_export"))
		return
	}
	ws, ok := s.exportWorkshop(w, r)
	if !ok {
		return
	}
	// A large export may take longer than the server's write timeout (a
	// workbook is spooled to temporary files before its first byte goes
	// out): it has exportTimeout, which also bounds its read transaction.
	ctx, cancel := context.WithTimeout(r.Context(), exportTimeout)
	defer cancel()
	d := &download{w: w, contentType: format.ContentType}
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(exportTimeout)) // without deadlines, the server's timeout holds
	err := s.store.ExportWorkshop(ctx, ws.Code, func(rec *workshop.Record) error {
		d.disposition = export.ContentDisposition(rec.Workshop, format.File)
		return format.Write(d, export.NewSource(rec, workshop.DefaultLanguage))
	})
	s.finishDownload(w, r, d, err)
}

// download streams a file to the client; the headers go out with the
// first bytes, so a failure before them can still be an error page.
type download struct {
	w           http.ResponseWriter
	contentType string
	disposition string
	started     bool
}

// exportTimeout bounds an export: reading, encoding and sending.
const exportTimeout = 15 * time.Minute

func (d *download) start() {
	if d.started {
		return
	}
	d.started = true
	h := d.w.Header()
	h.Set("Content-Type", d.contentType)
	h.Set("Content-Disposition", d.disposition)
	h.Set("Cache-Control", "no-store")
	d.w.WriteHeader(http.StatusOK)
}

func (d *download) Write(p []byte) (int, error) {
	d.start()
	return d.w.Write(p)
}

// finishDownload answers a failure before the first byte with an error
// page. After it, the status has gone out: the connection is cut, so the
// client sees a failed download rather than a complete-looking short file.
func (s *Server) finishDownload(w http.ResponseWriter, r *http.Request, d *download, err error) {
	switch {
	case err == nil:
		d.start() // an empty file still gets its headers
	case !d.started:
		s.error(w, r, err)
	case r.Context().Err() != nil:
		// The client went away mid-download: nothing to tell anyone.
	default:
		s.log.Error("export failed mid-stream", "path", r.URL.Path, "err", err)
		panic(http.ErrAbortHandler)
	}
}

// reportView reads the report's data from one snapshot of the store.
func (s *Server) reportView(ctx context.Context, code string) (views.ReportView, error) {
	var v views.ReportView
	err := s.store.ExportWorkshop(ctx, code, func(rec *workshop.Record) error {
		src := export.NewSource(rec, workshop.DefaultLanguage)
		w := src.Workshop
		v = views.ReportView{W: w, Lang: w.TextLanguage(i18n.Lang(ctx)), Joined: src.Joined, Generated: src.ReadAt}
		for _, i := range src.Ideas {
			if i.MergedInto == 0 { // a merged idea's votes are its successor's
				v.Ideas = append(v.Ideas, i)
			}
		}
		workshop.SortIdeas(v.Ideas)
		featured := map[int][]workshop.Rationale{}
		for r, err := range src.Rationales {
			if err != nil {
				return err
			}
			if r.Featured && !r.Hidden {
				featured[r.Round] = append(featured[r.Round], workshop.Rationale{ID: r.ID, Round: r.Round, ScenarioID: r.ScenarioID, Text: r.Text, Featured: true})
			}
		}
		results, err := src.Results()
		if err != nil {
			return err
		}
		for i, res := range results {
			rd := src.Round(res.Round)
			rr := views.ReportRound{Results: res, OpenedAt: rd.OpenedAt, ClosedAt: rd.ClosedAt, RevealedAt: rd.RevealedAt, Prefilled: rd.Prefilled,
				Open: res.Round == w.Round && w.State == workshop.StateOpen, Featured: featured[res.Round]}
			if i > 0 {
				rr.Prev = &results[i-1]
			}
			v.Rounds = append(v.Rounds, rr)
		}
		cib, err := src.CrossImpact()
		if err != nil {
			return err
		}
		for _, res := range cib {
			v.CrossImpact = append(v.CrossImpact, views.NewCrossImpactPanelView(w, res, v.Lang, 20))
		}
		scores, err := src.Scores()
		for _, sc := range scores {
			v.Scores = append(v.Scores, views.ScoredCriterion{Criterion: sc.Criterion, Scores: sc.Scores})
		}
		return err
	})
	return v, err
}

// handleReport handles "GET /workshops/{code}/export/report": the
// printable report, for the browser's print dialogue (A4, page numbers).
func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	ws, ok := s.exportWorkshop(w, r)
	if !ok {
		return
	}
	v, err := s.reportView(r.Context(), ws.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if s.cfg.ChromiumPath != "" {
		v.PDFURL = "/workshops/" + ws.Code + "/export/report.pdf"
	}
	s.render(w, r, http.StatusOK, views.Report(v))
}

// handleReportPDF handles "GET /workshops/{code}/export/report.pdf": the
// report printed to PDF by headless Chromium. It exists only when the
// server was started with a Chromium path (serve --chromium).
func (s *Server) handleReportPDF(w http.ResponseWriter, r *http.Request) {
	if s.cfg.ChromiumPath == "" {
		s.handleNotFound(w, r)
		return
	}
	ws, ok := s.exportWorkshop(w, r)
	if !ok {
		return
	}
	v, err := s.reportView(r.Context(), ws.Code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if v.InlineCSS, err = reportCSS(); err != nil {
		s.error(w, r, err)
		return
	}
	var html bytes.Buffer
	if err := views.Report(v).Render(r.Context(), &html); err != nil {
		s.error(w, r, err)
		return
	}
	doc, err := pdf.Print(r.Context(), s.cfg.ChromiumPath, html.String())
	if err != nil {
		s.error(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", export.ContentDisposition(v.W, "report.pdf"))
	h.Set("Cache-Control", "no-store")
	w.Write(doc)
}

// reportCSS is the report's stylesheets, to inline into the document the
// PDF renderer loads: it fetches nothing from the server.
var reportCSS = sync.OnceValues(func() (string, error) {
	var b strings.Builder
	for _, name := range []string{"css/app.css", "css/print.css"} {
		req, err := http.NewRequest(http.MethodGet, assets.Path(name), nil)
		if err != nil {
			return "", err
		}
		m := &memResponse{h: http.Header{}, status: http.StatusOK}
		assets.Handler().ServeHTTP(m, req)
		if m.status != http.StatusOK {
			return "", fmt.Errorf("read asset %s: status %d", name, m.status)
		}
		b.Write(m.body.Bytes())
		b.WriteByte('\n')
	}
	return b.String(), nil
})

// memResponse keeps a response in memory.
type memResponse struct {
	h      http.Header
	status int
	body   bytes.Buffer
}

func (m *memResponse) Header() http.Header         { return m.h }
func (m *memResponse) Write(p []byte) (int, error) { return m.body.Write(p) }
func (m *memResponse) WriteHeader(code int)        { m.status = code }
