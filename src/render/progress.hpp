// A one-line progress bar on stderr, drawn only when enabled (stderr is a terminal).
#pragma once

#include <iosfwd>
#include <string>

namespace luksfit::render {

class Progress
{
public:
	Progress(std::ostream &err, bool enabled, std::string label)
	    : err_(err), enabled_(enabled), label_(std::move(label))
	{
	}
	~Progress() { finish(); }
	Progress(const Progress &) = delete;
	Progress &operator=(const Progress &) = delete;

	void update(double fraction);
	void finish(); // clears the line

private:
	std::ostream &err_;
	bool enabled_;
	bool drawn_ = false;
	std::string label_;
};

} // namespace luksfit::render
