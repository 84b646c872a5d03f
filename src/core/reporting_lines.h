#pragma once
// Reporting lines: an email-typed attribute (manager_email, mentor...) read as a graph between
// people, built at once or in slices (LintRun and the Problems panel's tree).
#include <chrono>
#include <cstdint>
#include <vector>

#include "model.h"

namespace roster {

// An email-typed attribute as a graph between live people: target[slot] = the person the value
// names (kNone when blank or unknown), children in CSR form (reports of each person).
struct RelationGraph {
    uint32_t attr = kNone;
    std::vector<uint32_t> target;
    std::vector<uint32_t> childStart, children;
    std::vector<uint32_t> roots;        // live people with no value who have reports (tops of trees)
    std::vector<uint8_t> unresolved;    // 1 when the value matches nobody
    uint32_t withValue = 0;             // live people with a non-empty value
    uint32_t unresolvedCount = 0;       // ... of whom match nobody
};
void buildRelation(const Directory& d, uint32_t attr, RelationGraph& g);
// buildRelation in three parts (LintRun reads the people in slices): begin, read every slot, end.
void relationBegin(const Directory& d, uint32_t attr, RelationGraph& g);
void relationRead(const Directory& d, RelationGraph& g, uint32_t slot);
void relationEnd(const Directory& d, RelationGraph& g);
// relationRead for the slots from `cur` on, until the deadline (checked every 1024 slots); true
// when every slot is read (then relationEnd is due), false with `cur` where to resume.
bool relationReadUntil(const Directory& d, RelationGraph& g, uint32_t& cur, std::chrono::steady_clock::time_point deadline);

}  // namespace roster
