#include "domain/volume/boot_unlock.hpp"

#include <algorithm>
#include <climits>
#include <optional>
#include <tuple>

namespace luksfit::domain {
namespace {

// 0: tried first (prefer), 1: then (normal); none: never tried without a named keyslot.
std::optional<int> priority_class(int priority)
{
	if (priority == kPriorityPrefer)
		return 0;
	if (priority == kPriorityNormal)
		return 1;
	return std::nullopt;
}

bool contains(const std::vector<int> &v, int x)
{
	return std::find(v.begin(), v.end(), x) != v.end();
}

// Is `a` (maybe) tried before `b`? Both must be tried at all.
bool tried_before(const VolumeKeyslot &a, const VolumeKeyslot &b)
{
	const int ca = *priority_class(a.priority), cb = *priority_class(b.priority);
	if (ca != cb)
		return ca < cb;
	if (a.position < 0 || b.position < 0)
		return true;
	return a.position < b.position;
}

auto search_key(const VolumeKeyslot &k)
{
	return std::make_tuple(*priority_class(k.priority), k.position < 0 ? INT_MAX : k.position,
			       k.slot);
}

const VolumeKeyslot *find_slot(const std::vector<VolumeKeyslot> &slots, int slot)
{
	for (const auto &k : slots)
		if (k.slot == slot)
			return &k;
	return nullptr;
}

} // namespace

std::string priority_name(int priority)
{
	switch (priority) {
	case kPriorityIgnore:
		return "ignore";
	case kPriorityNormal:
		return "normal";
	case kPriorityPrefer:
		return "prefer";
	}
	return "other (" + std::to_string(priority) + ")";
}

std::vector<BootSlot> boot_search(const std::vector<VolumeKeyslot> &slots,
				  const std::vector<int> &at_risk)
{
	std::vector<const VolumeKeyslot *> tried, never;
	for (const auto &k : slots)
		(priority_class(k.priority) ? tried : never).push_back(&k);
	std::sort(tried.begin(), tried.end(),
		  [](const auto *a, const auto *b) { return search_key(*a) < search_key(*b); });
	std::sort(never.begin(), never.end(),
		  [](const auto *a, const auto *b) { return a->slot < b->slot; });
	std::vector<BootSlot> out;
	for (const VolumeKeyslot *k : tried) {
		BootSlot b{k->slot, static_cast<unsigned>(out.size()), {}};
		for (const VolumeKeyslot *o : tried)
			if (o != k && contains(at_risk, o->slot) && tried_before(*o, *k))
				b.blocked_by.push_back(o->slot);
		out.push_back(std::move(b));
	}
	for (const VolumeKeyslot *k : never)
		out.push_back(BootSlot{k->slot, std::nullopt, {}});
	return out;
}

std::vector<PriorityChange> boot_priority_fix(const std::vector<VolumeKeyslot> &slots,
					      const std::vector<int> &at_risk, int slot)
{
	const VolumeKeyslot *key = find_slot(slots, slot);
	if (!key || !priority_class(key->priority))
		return {};
	const auto search = boot_search(slots, at_risk);
	const auto mine = std::find_if(search.begin(), search.end(),
				       [slot](const BootSlot &b) { return b.slot == slot; });
	if (mine == search.end() || mine->blocked_by.empty())
		return {};
	std::vector<PriorityChange> out;
	if (key->priority != kPriorityPrefer)
		out.push_back({slot, key->priority, kPriorityPrefer});
	VolumeKeyslot promoted = *key;
	promoted.priority = kPriorityPrefer;
	for (const auto &k : slots)
		if (k.slot != slot && k.priority == kPriorityPrefer && contains(at_risk, k.slot) &&
		    tried_before(k, promoted))
			out.push_back({k.slot, kPriorityPrefer, kPriorityNormal});
	return out;
}

} // namespace luksfit::domain
