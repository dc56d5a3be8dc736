// Package laconic is the notebook-facing facade of the toolkit.
package laconic
