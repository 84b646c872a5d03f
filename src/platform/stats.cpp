// roster.stats(): every figure the page reports, built here and nowhere else.
#include <emscripten.h>

#include "bridge.h"

namespace roster::platform {

static json framePartsJson(ui::AppUI& u) {
    const auto& p = u.partTimes();
    return json{{"navP95Ms", p.p95(0)}, {"mainP95Ms", p.p95(1)}, {"editorP95Ms", p.p95(2)}, {"restP95Ms", p.p95(3)},
                {"hygieneCountsP95Ms", p.p95(4)}};
}

static json navJson(ui::AppUI& u) {
    return json{{"problems", {{"count", u.navProblems().count}, {"counting", u.navProblems().counting}}},
                {"suggestions", {{"count", u.navSuggestions().count}, {"counting", u.navSuggestions().counting}}},
                {"history", {{"count", u.navHistory()}}}};
}

static json usersTableJson(App& a) {
    json t = a.ui().users().tableJson(a.session().dir, -1, 0);
    t["firstPeopleAtMs"] = a.firstPeopleAtMs() < 0 ? json(nullptr) : json(a.firstPeopleAtMs());
    return t;
}

json statsJson(App& a) {
    const Session& s = a.session();
    return json{{"users", s.dir.userCount()},
                {"identities", s.dir.liveIdentityCount()},
                {"wasmHeapBytes", double(EM_ASM_DOUBLE({ return HEAPU8.length; }))},
                {"frame", a.timing().frameJson()},
                {"frameSteps", a.timing().stepsJson()},
                {"revision", s.dir.revision()},
                {"savedRevision", a.saver().savedRevision()},
                {"undoDepth", s.history.undoDepth()},
                {"modelBytes", s.dir.memoryBytes()},
                {"historyBytes", s.history.bytes()},
                {"reclaimed", {{"users", s.history.reclaimed().users}, {"identities", s.history.reclaimed().idents},
                               {"aliases", s.history.reclaimed().aliases}, {"textBytes", s.history.reclaimed().poolBytes},
                               {"refused", s.history.reclaimed().refused}}},
                {"job", a.jobs().progressJson()},
                {"lastJob", a.jobs().lastJson()},
                {"frameParts", framePartsJson(a.ui())},
                {"problems", a.ui().problems().statsJson(s.dir)},
                {"nav", navJson(a.ui())},
                {"usersTable", usersTableJson(a)}};
}

}  // namespace roster::platform
