package rules

// LongFlow lets the external benchmarks lint the generated long flow.
var LongFlow = longFlow
