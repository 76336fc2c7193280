package bundle

import "bytes"

// bundleKeys are the top-level keys that mark a JSON file as a bundle.
var bundleKeys = [...]string{"zis_template_version", "resources"}

// LooksLikeBundle reports whether src is a JSON object with a top-level
// "zis_template_version" or "resources" key. It skims the top level
// without building values, so walking a folder of unrelated JSON stays
// cheap. A file too broken to skim counts as a bundle when it mentions one
// of the keys anywhere, so its syntax error is reported rather than the
// file silently skipped.
func LooksLikeBundle(src []byte) bool {
	found, ok := skimTopKeys(src)
	if ok {
		return found
	}
	for _, k := range bundleKeys {
		if bytes.Contains(src, []byte(`"`+k+`"`)) {
			return true
		}
	}
	return false
}

// skimTopKeys scans the top-level object's keys. ok is false when the
// input is not well-formed enough to tell.
func skimTopKeys(src []byte) (found, ok bool) {
	i := skipWS(src, 0)
	if i >= len(src) || src[i] != '{' {
		return false, i < len(src) // a non-object value is not a bundle
	}
	i = skipWS(src, i+1)
	for i < len(src) && src[i] == '"' {
		end := stringEnd(src, i)
		if end < 0 {
			return false, false
		}
		key := src[i+1 : end-1]
		for _, k := range bundleKeys {
			if string(key) == k {
				return true, true
			}
		}
		i = skipWS(src, end)
		if i >= len(src) || src[i] != ':' {
			return false, false
		}
		if i = skipValue(src, skipWS(src, i+1)); i < 0 {
			return false, false
		}
		i = skipWS(src, i)
		if i < len(src) && src[i] == ',' {
			i = skipWS(src, i+1)
		}
	}
	return false, i < len(src) && src[i] == '}'
}

func skipWS(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\n' || src[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the offset after the string starting at src[i], or -1.
func stringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return -1
}

// skipValue returns the offset after the value starting at src[i], or -1.
// It only balances brackets and strings; it does not validate.
func skipValue(src []byte, i int) int {
	depth := 0
	for i < len(src) {
		switch c := src[i]; c {
		case '"':
			if i = stringEnd(src, i); i < 0 {
				return -1
			}
			if depth == 0 {
				return i
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			if depth == 0 { // the enclosing object ends a scalar
				return i
			}
			depth--
			if depth == 0 {
				return i + 1
			}
		case ',':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	if depth == 0 {
		return i
	}
	return -1
}
