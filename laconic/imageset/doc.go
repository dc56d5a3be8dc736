// Package imageset is the toolkit's set of real photographs for measuring
// the fidelity of a quantized or pruned network against its float32 self.
//
// No labelled data set is reachable offline, so fidelity is measured on
// real photos against the model's own float32 outputs. The set is the
// photographs of Debian's gcompris-qt-data package (animals, fish,
// monuments, household objects, tools, instruments; each with the author,
// licence and source URL the package's debian/copyright gives it) plus the
// scikit-image and darknet sample photos of data/images. The photos are
// never committed: data/imageset/fidelity.tsv lists every file with its
// SHA-256, licence, author and source, and scripts/fetch-fidelity-images.sh
// (make fidelity-images) extracts them from the Debian packages into a
// git-ignored cache.
//
// The split into search images (used to choose a precision profile) and
// held-out images (used only to report its fidelity) is fixed by each
// image's SHA-256: an image is held out when the first byte of its hash is
// below HeldOutThreshold (about a third of the images), so the split does
// not depend on the order of the list and never moves when images are
// added.
//
// GCompris ships its images inside Qt resource collections (.rcc);
// ReadRCC reads them.
package imageset
