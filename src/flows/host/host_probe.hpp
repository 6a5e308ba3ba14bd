// Gathers the host facts of `luksfit check` from the system adapters (the only place that
// knows which adapter answers which question). Unprivileged-safe: what needs root is Unknown.
#pragma once

#include "domain/host/host_report.hpp"

namespace luksfit::flows {

domain::HostFacts gather_host_facts();

} // namespace luksfit::flows
