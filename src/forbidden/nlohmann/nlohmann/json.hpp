// Stands in for nlohmann-json's header in layers that may not use nlohmann-json (src/meson.build
// gives this folder to them): including it there is a build error, not a silent dependency.
#error "nlohmann-json is used only in domain/ (the cache parser), system/ and render/ (render/json.hpp); see docs/architecture.md"
