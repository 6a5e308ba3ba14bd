// Rendering of volume audits (`luksfit check TARGET`) and of targets that could not be read:
// the human text and the JSON payload, kept apart from the model (domain/volume/volume_audit).
#pragma once

#include <iosfwd>

#include "domain/volume/volume_audit.hpp"
#include "render/json.hpp"

namespace luksfit::render {

Json volume_audit_json(const domain::VolumeAudit &a);
Json target_error_json(const domain::TargetError &e);

void volume_audit_text(std::ostream &out, const domain::VolumeAudit &a);
void target_error_text(std::ostream &out, const domain::TargetError &e);

} // namespace luksfit::render
