package webform

import (
	"net/http"

	"foresight/internal/password"
	"foresight/internal/workshop"
)

// Credentials is the sign-in form, and the first account's form on the
// setup page: email, password.
type Credentials struct {
	Email, Password string
}

func ParseCredentials(r *http.Request) (Credentials, error) {
	get, err := parsed(r)
	if err != nil {
		return Credentials{}, err
	}
	return Credentials{Email: get("email"), Password: get("password")}, nil
}

// SetPassword is the form of an invitation or a reset link: password,
// confirm (the password again).
type SetPassword struct {
	Password, Confirm string
}

func ParseSetPassword(r *http.Request) (SetPassword, error) {
	get, err := parsed(r)
	if err != nil {
		return SetPassword{}, err
	}
	return SetPassword{Password: get("password"), Confirm: get("confirm")}, nil
}

// Check refuses a password the rules refuse, and two passwords that
// differ, before any password is hashed.
func (f SetPassword) Check() error {
	if err := password.Check(f.Password); err != nil {
		return err
	}
	if f.Password != f.Confirm {
		return workshop.FieldError("confirm", "error.two_passwords_differ_type")
	}
	return nil
}

// ChangePassword is the account page's form: current, and the new
// password twice.
type ChangePassword struct {
	Current string
	SetPassword
}

func ParseChangePassword(r *http.Request) (ChangePassword, error) {
	get, err := parsed(r)
	if err != nil {
		return ChangePassword{}, err
	}
	return ChangePassword{Current: get("current"), SetPassword: SetPassword{Password: get("password"), Confirm: get("confirm")}}, nil
}

// Invite is the organisers' invitation form: email, role.
type Invite struct {
	Email string
	Role  workshop.Role
}

func ParseInvite(r *http.Request) (Invite, error) {
	get, err := parsed(r)
	if err != nil {
		return Invite{}, err
	}
	return Invite{Email: get("email"), Role: workshop.Role(get("role"))}, nil
}
