// Rendering of format plans, step timings and LUKS header reports (human text and JSON), kept
// apart from the models.
#pragma once

#include <iosfwd>
#include <string>

#include "domain/format/format_plan.hpp"
#include "render/json.hpp"

namespace luksfit::render {

// {"cipher","key_size","sector_size","keyslot_cipher","keyslot_key_size","keyslot_fallback",
//  "pbkdf":{...},"perf_flags":[...],"perf_flags_reason"}
Json plan_json(const domain::FormatPlan &plan);

// {"kind": "options"|"bench_cache"|"policy_default", "detail", "cache", "measured_at", "notes"}
Json source_json(const domain::ParamSource &s);

// Aligned lines, each "  name: value", for terminals.
void plan_text(std::ostream &out, const domain::FormatPlan &plan);

// "  ok  create image ............   0.4 ms"
std::string step_text(const std::string &name, double ms);

} // namespace luksfit::render
