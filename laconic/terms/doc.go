// Package terms decomposes integers into signed powers of two ("terms") under
// several encodings and counts them in bulk.
package terms
