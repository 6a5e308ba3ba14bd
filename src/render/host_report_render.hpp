// Rendering of the host report (`luksfit check`): the human table and the JSON payload, kept
// apart from the model (domain/host/host_report).
#pragma once

#include <iosfwd>
#include <vector>

#include "domain/host/host_report.hpp"
#include "render/json.hpp"

namespace luksfit::render {

Json host_report_json(const domain::HostReport &r);
Json findings_json(const std::vector<domain::Finding> &f);

void host_report_text(std::ostream &out, const domain::HostReport &r);
void findings_text(std::ostream &out, const std::vector<domain::Finding> &f);

} // namespace luksfit::render
