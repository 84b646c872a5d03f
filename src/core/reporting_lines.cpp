// Reporting lines: an email-typed attribute as a graph between people (see reporting_lines.h).
#include "reporting_lines.h"

#include <algorithm>

#include "text.h"

namespace roster {

void relationBegin(const Directory& d, uint32_t attr, RelationGraph& g) {
    const uint32_t n = d.slotCount();
    g.attr = attr;
    g.target.assign(n, kNone);
    g.unresolved.assign(n, 0);
    g.withValue = 0;
    g.unresolvedCount = 0;
    g.roots.clear();
    g.childStart.assign(size_t(n) + 1, 0);
}

void relationRead(const Directory& d, RelationGraph& g, uint32_t s) {
    if (!d.userAlive(s)) return;
    std::string_view v = trim(d.attrValue(g.attr, s));
    if (v.empty()) return;
    ++g.withValue;
    uint32_t t = d.findEmail(v);
    if (t == kNone) {
        g.unresolved[s] = 1;
        ++g.unresolvedCount;
    } else {
        g.target[s] = t;
        ++g.childStart[t + 1];
    }
}

void relationEnd(const Directory& d, RelationGraph& g) {
    const uint32_t n = uint32_t(g.target.size());
    for (size_t i = 1; i < g.childStart.size(); ++i) g.childStart[i] += g.childStart[i - 1];
    g.children.assign(g.childStart.back(), 0);
    std::vector<uint32_t> fill(g.childStart.begin(), g.childStart.end() - 1);
    for (uint32_t s = 0; s < n; ++s)
        if (g.target[s] != kNone) g.children[fill[g.target[s]]++] = s;
    for (uint32_t s = 0; s < n; ++s)
        if (d.userAlive(s) && g.target[s] == kNone && !g.unresolved[s] && g.childStart[s + 1] > g.childStart[s] &&
            trim(d.attrValue(g.attr, s)).empty())
            g.roots.push_back(s);
}

bool relationReadUntil(const Directory& d, RelationGraph& g, uint32_t& cur, std::chrono::steady_clock::time_point deadline) {
    const uint32_t n = uint32_t(g.target.size());
    while (cur < n) {
        const uint32_t stop = std::min<uint32_t>(n, cur + 1024);
        for (; cur < stop; ++cur) relationRead(d, g, cur);
        if (cur < n && std::chrono::steady_clock::now() >= deadline) return false;
    }
    return true;
}

void buildRelation(const Directory& d, uint32_t attr, RelationGraph& g) {
    relationBegin(d, attr, g);
    uint32_t cur = 0;
    relationReadUntil(d, g, cur, std::chrono::steady_clock::time_point::max());
    relationEnd(d, g);
}

}  // namespace roster
