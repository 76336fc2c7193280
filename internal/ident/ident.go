// Package ident checks names made of a few ASCII character classes.
//
// These checks were regular expressions with counted repetitions, such
// as [A-Za-z0-9_.:-]{1,128}; Go's regexp compiles a counted repetition
// by copying its class once per count, so compiling the three of them
// took longer than linting a bundle. A loop over the bytes says the same
// and compiles nothing.
package ident

// Span reports whether s is lo to hi bytes long and every byte is in
// class. A byte of a multi-byte UTF-8 character is never in an ASCII
// class, so this counts characters as the regular expression did.
func Span(s string, lo, hi int, class func(byte) bool) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !class(s[i]) {
			return false
		}
	}
	return true
}

// Label reports whether s is a DNS label: 1 to 63 letters, digits and
// hyphens, starting and ending with a letter or digit. Upper-case
// letters count only when upper is set.
func Label(s string, upper bool) bool {
	alnum := Lower
	if upper {
		alnum = Alnum
	}
	hyphenated := func(c byte) bool { return c == '-' || alnum(c) }
	return Span(s, 1, 63, hyphenated) && alnum(s[0]) && alnum(s[len(s)-1])
}

// Lower reports whether c is a lower-case ASCII letter or a digit.
func Lower(c byte) bool { return c >= 'a' && c <= 'z' || Digit(c) }

// Alnum reports whether c is an ASCII letter or digit.
func Alnum(c byte) bool { return Letter(c) || Digit(c) }

// Letter reports whether c is an ASCII letter.
func Letter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Digit reports whether c is an ASCII digit.
func Digit(c byte) bool { return c >= '0' && c <= '9' }
