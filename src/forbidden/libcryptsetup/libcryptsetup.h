// Stands in for libcryptsetup's header in layers that may not use libcryptsetup (src/meson.build
// gives this folder to them): including it there is a build error, not a silent dependency.
#error "libcryptsetup is used only in system/luks/ (and system/dm/ for dm-crypt mappings); see docs/architecture.md"
