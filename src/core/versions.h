#pragma once
// Stored versions of the directory: restoring one (an undoable command that turns the current
// directory into the version's state, record by record) and comparing one with now.
// A version's slot i need not be the current slot i: slots that nothing reaches any more are given
// back (History::discardRedo) and taken again by later records. So people are matched by id,
// accounts by integration and account, aliases by address (the same index first, the common case);
// attribute definitions, integrations and org units, which are never given back, by index.
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
