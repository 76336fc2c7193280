package config

import "bytes"

// TokenEnd returns the position just past the YAML item that starts at p
// in src: a quoted string, a flow mapping or list with everything in it,
// or a plain key or value. Findings and annotations about the config use
// it to mark what they are about rather than a single column. It returns
// p when p is not inside src.
func TokenEnd(src []byte, p Pos) Pos {
	start, ok := offsetOf(src, p)
	if !ok {
		return p
	}
	end := start + tokenLength(src[start:])
	line, col := p.Line, p.Col
	for _, b := range src[start:end] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return Pos{Line: line, Col: col}
}

// offsetOf converts a 1-based line and byte column to an offset in src.
func offsetOf(src []byte, p Pos) (int, bool) {
	if p.Line < 1 || p.Col < 1 {
		return 0, false
	}
	off := 0
	for line := 1; line < p.Line; line++ {
		nl := bytes.IndexByte(src[off:], '\n')
		if nl < 0 {
			return 0, false
		}
		off += nl + 1
	}
	lineEnd := bytes.IndexByte(src[off:], '\n')
	if lineEnd < 0 {
		lineEnd = len(src) - off
	}
	if p.Col-1 >= lineEnd {
		return 0, false
	}
	return off + p.Col - 1, true
}

// tokenLength measures the item at the start of s.
func tokenLength(s []byte) int {
	switch s[0] {
	case '"', '\'':
		return quotedLength(s)
	case '{', '[':
		return flowLength(s)
	}
	return max(plainLength(s), 1)
}

// quotedLength measures a quoted string: backslash escapes in double
// quotes, a doubled quote in single quotes. An unclosed one ends with its
// line.
func quotedLength(s []byte) int {
	quote := s[0]
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\n':
			return i
		case quote == '"' && s[i] == '\\':
			i++
		case s[i] == quote && quote == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
		case s[i] == quote:
			return i + 1
		}
	}
	return len(s)
}

// flowLength measures a flow mapping or list up to its closing bracket,
// skipping quoted strings and comments. An unclosed one ends with its
// first line.
func flowLength(s []byte) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"', '\'':
			i += quotedLength(s[i:]) - 1
		case '#':
			if i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
				i += lineLength(s[i:]) - 1
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return lineLength(s)
}

// plainLength measures a plain scalar: up to a flow separator, " #" or
// the end of the line, without trailing blanks. A key (a scalar followed
// by ": ") stands for its entry, so it takes the rest of the line: a
// block mapping's position is that of its first key.
func plainLength(s []byte) int {
	n := lineLength(s)
	for i := 0; i < n; i++ {
		switch s[i] {
		case ',', '}', ']':
			return trimmedLength(s[:i])
		case ':':
			if i+1 == n || s[i+1] == ' ' || s[i+1] == '\t' {
				return trimmedLength(s[:commentStart(s[:n])])
			}
		case '#':
			if i > 0 && (s[i-1] == ' ' || s[i-1] == '\t') {
				return trimmedLength(s[:i])
			}
		}
	}
	return trimmedLength(s[:n])
}

// commentStart returns where a " #" comment starts in line, outside
// quotes, or len(line).
func commentStart(line []byte) int {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '"', '\'':
			i += quotedLength(line[i:]) - 1
		case '#':
			if i > 0 && (line[i-1] == ' ' || line[i-1] == '\t') {
				return i
			}
		}
	}
	return len(line)
}

func lineLength(s []byte) int {
	if n := bytes.IndexByte(s, '\n'); n >= 0 {
		return n
	}
	return len(s)
}

func trimmedLength(s []byte) int { return len(bytes.TrimRight(s, " \t\r")) }
