// Stands in for libblkid's header in layers that may not use libblkid (src/meson.build gives
// this folder to them): including it there is a build error, not a silent dependency.
#error "libblkid is used only in system/block/; see docs/architecture.md"
