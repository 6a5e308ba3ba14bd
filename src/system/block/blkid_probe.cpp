#include "system/block/blkid_probe.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>

#include <blkid/blkid.h>

#include "system/os/readable_file.hpp"
#include "util/unique_fd.hpp"
#include "util/unique_handle.hpp"
#include "util/untrusted_text.hpp"

namespace luksfit::sys {
namespace {

using Probe = util::UniqueHandle<blkid_struct_probe, blkid_free_probe>;

// A value read from the device's superblock (a label, a UUID), escaped: it is outside data.
std::string value(blkid_probe pr, const char *name)
{
	const char *data = nullptr;
	if (blkid_probe_lookup_value(pr, name, &data, nullptr) != 0 || !data)
		return {};
	return util::printable(data);
}

BlkidSignature current(blkid_probe pr)
{
	BlkidSignature s;
	s.type = value(pr, "TYPE");
	if (s.type.empty()) {
		s.type = value(pr, "PTTYPE");
		s.usage = s.type.empty() ? "" : "partition table";
		s.uuid = value(pr, "PTUUID");
	} else {
		s.usage = value(pr, "USAGE");
		s.uuid = value(pr, "UUID");
		s.label = value(pr, "LABEL");
		s.version = value(pr, "VERSION");
	}
	return s;
}

void read_topology(blkid_probe pr, BlkidTopology &t)
{
	blkid_topology topo = blkid_probe_get_topology(pr);
	if (!topo)
		return;
	if (const unsigned long v = blkid_topology_get_logical_sector_size(topo))
		t.logical_sector = static_cast<unsigned>(v);
	if (const unsigned long v = blkid_topology_get_physical_sector_size(topo))
		t.physical_sector = static_cast<unsigned>(v);
	t.alignment_offset = blkid_topology_get_alignment_offset(topo);
	if (const unsigned long v = blkid_topology_get_minimum_io_size(topo))
		t.minimum_io = v;
	t.optimal_io = blkid_topology_get_optimal_io_size(topo);
}

} // namespace

Expected<BlkidReport> blkid_probe_path(const std::string &path)
{
	auto f = open_readable(path, "open " + path, ExitCode::WrongDevice,
			       "give a block device or image file");
	if (!f)
		return f.error();
	const UniqueFd fd = std::move(f->fd);
	Probe pr(blkid_new_probe());
	if (!pr.get())
		return error_from_errno(ENOMEM, "libblkid probe for " + path);
	if (blkid_probe_set_device(pr.get(), fd.get(), 0, 0) != 0)
		return error_from_errno(errno ? errno : EIO, "libblkid: read " + path);

	BlkidReport report;
	const blkid_loff_t size = blkid_probe_get_size(pr.get());
	report.size_bytes = size > 0 ? static_cast<std::uint64_t>(size) : 0;
	read_topology(pr.get(), report.topology);

	// wipefs' loop: every signature, not just the first match.
	blkid_probe_enable_superblocks(pr.get(), 1);
	blkid_probe_set_superblocks_flags(
		pr.get(), BLKID_SUBLKS_TYPE | BLKID_SUBLKS_USAGE | BLKID_SUBLKS_UUID |
				  BLKID_SUBLKS_LABEL | BLKID_SUBLKS_VERSION | BLKID_SUBLKS_BADCSUM);
	blkid_probe_enable_partitions(pr.get(), 1);
	blkid_probe_set_partitions_flags(pr.get(), BLKID_PARTS_MAGIC);
	blkid_probe_enable_topology(pr.get(), 0);
	for (;;) {
		const int r = blkid_do_probe(pr.get());
		if (r == 1)
			break;
		if (r < 0)
			return error_from_errno(EIO, "libblkid: probe " + path);
		BlkidSignature s = current(pr.get());
		if (!s.type.empty())
			report.signatures.push_back(std::move(s));
	}
	return report;
}

} // namespace luksfit::sys
