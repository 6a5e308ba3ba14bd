// Rendering of the host report and volume audits: human tables and the JSON payload. Kept apart
// from the models (domain/host_report, domain/volume_audit).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/host_report.hpp"
#include "domain/volume_audit.hpp"

namespace luksfit::render {

using Json = nlohmann::ordered_json;

// One failed target of an audit: its path and the error (message, hint).
struct TargetError {
	std::string path;
	std::string message;
	std::string hint;
};

Json host_report_json(const domain::HostReport &r);
Json findings_json(const std::vector<domain::Finding> &f);
Json volume_audit_json(const domain::VolumeAudit &a);
Json target_error_json(const TargetError &e);

void host_report_text(std::ostream &out, const domain::HostReport &r);
void findings_text(std::ostream &out, const std::vector<domain::Finding> &f);
void volume_audit_text(std::ostream &out, const domain::VolumeAudit &a);
void target_error_text(std::ostream &out, const TargetError &e);

} // namespace luksfit::render
