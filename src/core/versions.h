#pragma once
// Stored versions of the directory: restoring one (an undoable command that turns the current
// directory into the version's state, record by record) and comparing one with now.
// Records never move (slots and indexes are append-only), so a version's slot i is the same
// person as the current slot i: the restore and the diff are per-index.
#include <string>
#include <vector>

#include "commands.h"
#include "model.h"

namespace roster {

class RestoreVersionCmd : public Command {
public:
    RestoreVersionCmd(const Directory& version, std::string label) : v_(version), label_(std::move(label)) {}
    std::string label() const override { return "Restore " + label_; }
    CmdResult apply(Tx& tx) override;

private:
    const Directory& v_;
    std::string label_;
};

struct VersionDiff {
    uint32_t added = 0;      // people now who are not in the version
    uint32_t removed = 0;    // people in the version who are gone now
    uint32_t changed = 0;    // people in both whose record differs
    struct Person { uint32_t slot; std::string name, email, what; };
    std::vector<Person> samples;   // capped
};
VersionDiff diffVersion(const Directory& now, const Directory& version, size_t cap = 500);

}  // namespace roster
