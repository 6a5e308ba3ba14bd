#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "catch_compat.hpp"

#include "domain/volume/boot_unlock.hpp"

using namespace luksfit::domain;

namespace {

// A keyslot with what the search looks at: number, priority, place in the header's JSON.
VolumeKeyslot ks(int slot, int priority, int position)
{
	VolumeKeyslot k;
	k.slot = slot;
	k.encryption = "aes-xts-plain64";
	k.priority = priority;
	k.position = position;
	return k;
}

std::vector<int> tried(const std::vector<BootSlot> &search)
{
	std::vector<int> out;
	for (const auto &b : search)
		if (b.position)
			out.push_back(b.slot);
	return out;
}

const BootSlot &of(const std::vector<BootSlot> &search, int slot)
{
	const auto it = std::find_if(search.begin(), search.end(),
				     [slot](const BootSlot &b) { return b.slot == slot; });
	REQUIRE(it != search.end());
	return *it;
}

} // namespace

TEST_CASE("the lab's defect: a rewritten keyslot re-added after an at-risk one is blocked")
{
	// harden removed keyslot 0 and added it again: the JSON lists 1 before 0.
	const std::vector<VolumeKeyslot> slots{ks(0, kPriorityNormal, 1),
					       ks(1, kPriorityNormal, 0)};
	const auto search = boot_search(slots, {1});
	CHECK(tried(search) == std::vector<int>{1, 0});
	CHECK(of(search, 0).blocked_by == std::vector<int>{1});
	CHECK(of(search, 0).position == 1u);
	CHECK(of(search, 1).blocked_by.empty());
}

TEST_CASE("prefer comes before normal whatever the header order; ignore never")
{
	const std::vector<VolumeKeyslot> slots{ks(0, kPriorityNormal, 0), ks(1, kPriorityIgnore, 1),
					       ks(2, kPriorityPrefer, 2), ks(3, 7, 3)};
	const auto search = boot_search(slots, {1, 2, 3});
	CHECK(tried(search) == std::vector<int>{2, 0});
	CHECK(of(search, 0).blocked_by == std::vector<int>{2});
	CHECK_FALSE(of(search, 1).position); // ignore: never tried, blocks nothing
	CHECK_FALSE(of(search, 3).position); // a number libcryptsetup does not define: the same
	CHECK(search.size() == 4);
}

TEST_CASE("an at-risk keyslot tried after the key's blocks nothing")
{
	const std::vector<VolumeKeyslot> slots{ks(0, kPriorityNormal, 0), ks(1, kPriorityNormal, 1),
					       ks(2, kPriorityNormal, 2)};
	const auto search = boot_search(slots, {1, 2});
	CHECK(of(search, 0).blocked_by.empty());
	CHECK(of(search, 2).blocked_by == std::vector<int>{1}); // at risk itself: not reported
	CHECK(boot_priority_fix(slots, {1, 2}, 0).empty());
}

TEST_CASE("an unknown header position errs towards 'blocked'")
{
	const std::vector<VolumeKeyslot> slots{ks(0, kPriorityNormal, 0),
					       ks(1, kPriorityNormal, -1)};
	CHECK(of(boot_search(slots, {1}), 0).blocked_by == std::vector<int>{1});
	CHECK(tried(boot_search(slots, {1})) == std::vector<int>{0, 1}); // unknown: last
}

TEST_CASE("the fix: the key's keyslot prefer, an at-risk prefer before it normal")
{
	const std::vector<VolumeKeyslot> slots{ks(0, kPriorityNormal, 2), ks(1, kPriorityPrefer, 0),
					       ks(2, kPriorityNormal, 1),
					       ks(3, kPriorityPrefer, 3)};
	const auto changes = boot_priority_fix(slots, {1, 2, 3}, 0);
	REQUIRE(changes.size() == 2);
	CHECK((changes[0].slot == 0 && changes[0].from == kPriorityNormal &&
	       changes[0].to == kPriorityPrefer));
	// keyslot 3 is prefer too, but after keyslot 0 in the header: it may stay.
	CHECK((changes[1].slot == 1 && changes[1].from == kPriorityPrefer &&
	       changes[1].to == kPriorityNormal));
}

TEST_CASE("the fix leaves a keyslot with priority ignore alone")
{
	const std::vector<VolumeKeyslot> slots{ks(0, kPriorityIgnore, 1),
					       ks(1, kPriorityNormal, 0)};
	CHECK(boot_priority_fix(slots, {1}, 0).empty());
	CHECK(boot_priority_fix(slots, {1}, 5).empty()); // no such keyslot
}

// Every layout of three keyslots (header order, priorities, which need AF_ALG): after the fix
// the key's keyslot is tried before every at-risk one, and nothing changes when nothing blocked.
TEST_CASE("the fix always unblocks, and changes nothing needlessly")
{
	const std::array<int, 3> prios{kPriorityIgnore, kPriorityNormal, kPriorityPrefer};
	std::array<int, 3> pos{0, 1, 2};
	int layouts = 0;
	do {
		for (int p = 0; p < 27; ++p)
			for (int risk = 0; risk < 8; ++risk) {
				std::vector<VolumeKeyslot> slots;
				std::vector<int> at_risk;
				for (int i = 0, q = p; i < 3; ++i, q /= 3) {
					slots.push_back(ks(i, prios[q % 3], pos[i]));
					if (risk & (1 << i))
						at_risk.push_back(i);
				}
				if (risk & 1 || slots[0].priority == kPriorityIgnore)
					continue; // the key's keyslot 0 opens without AF_ALG, is
						  // tried
				++layouts;
				const bool blocked =
					!of(boot_search(slots, at_risk), 0).blocked_by.empty();
				const auto changes = boot_priority_fix(slots, at_risk, 0);
				CHECK(changes.empty() == !blocked);
				for (const auto &c : changes) {
					CHECK(slots[c.slot].priority == c.from);
					if (c.slot != 0)
						CHECK((c.to == kPriorityNormal &&
						       std::count(at_risk.begin(), at_risk.end(),
								  c.slot) == 1));
					slots[c.slot].priority = c.to;
				}
				CHECK(of(boot_search(slots, at_risk), 0).blocked_by.empty());
			}
	} while (std::next_permutation(pos.begin(), pos.end()));
	CHECK(layouts == 6 * 18 * 4);
}

TEST_CASE("priority names")
{
	CHECK(priority_name(kPriorityPrefer) == "prefer");
	CHECK(priority_name(kPriorityNormal) == "normal");
	CHECK(priority_name(kPriorityIgnore) == "ignore");
	CHECK(priority_name(-1) == "other (-1)");
}
