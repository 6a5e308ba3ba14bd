// Stands in for CLI11's header in layers that may not use CLI11 (src/meson.build gives
// this folder to them): including it there is a build error, not a silent dependency.
#error "CLI11 is used only in commands/ and cli/; see docs/architecture.md"
