package views

import "fmt"

// Element IDs that more than the template writing them depends on: the
// handlers that answer htmx requests with a fragment or redirect to a part
// of a page, the browser tests and assets/js/app.js. Each is made here
// only.

// ItemID is the fieldset of one rating item (a scenario on a criterion) on
// the participant's page; the answer to its Clear button replaces it.
func ItemID(scenarioID, criterionID int64) string {
	return fmt.Sprintf("i-%d-%d", scenarioID, criterionID)
}

// ItemStatusID is the status of a rating item, which the answer to a
// rating replaces. app.js (statusFor) derives it from the rating's field
// name, r-S-C: keep the two in step.
func ItemStatusID(scenarioID, criterionID int64) string {
	return ItemID(scenarioID, criterionID) + "-status"
}

// ReasonID is the participant's reason for a scenario: the text box, and
// the field name it posts.
func ReasonID(scenarioID int64) string { return fmt.Sprintf("reason-%d", scenarioID) }

// ReasonStatusID is the status of a reason, which the answer to saving it
// replaces. app.js (statusFor) derives it from ReasonID: keep the two in
// step.
func ReasonStatusID(scenarioID int64) string { return ReasonID(scenarioID) + "-status" }

// FormStatusID is the status answered to an htmx request from the
// participant's page that names no one item.
const FormStatusID = "form-status"

// ResultID is a scenario's results on the facilitator's page.
func ResultID(scenarioID int64) string { return fmt.Sprintf("r-%d", scenarioID) }

// RationalesID is the facilitator's list of the round's reasons.
const RationalesID = "rationales"

// OutcomesID is the Outcomes card of a finished workshop's page.
const OutcomesID = "outcomes"
