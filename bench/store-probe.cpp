// Native probe of Store::load (and save) on a large directory: where the load time goes.
//   c++ -O2 -std=c++17 -Isrc/core -Ibuild/native/_deps/... (see bench/store-probe.sh)
//   build/bench/store-probe CSV DIR [RUNS] [WRITE_FORMAT]
// Imports CSV (mode replace) and saves into DIR when DIR has no manifest yet, then loads DIR RUNS
// times and prints the load's breakdown (read, crc, decode, index) and the model's size.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "session.h"
#include "store.h"

using namespace roster;
using Clock = std::chrono::steady_clock;
static double ms(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

int main(int argc, char** argv) {
    if (argc < 3) { std::fprintf(stderr, "usage: store-probe CSV DIR [RUNS]\n"); return 2; }
    std::string csv = argv[1], dir = argv[2];
    int runs = argc > 3 ? std::atoi(argv[3]) : 3;
    Store probe(dir);
    if (!probe.exists()) {
        std::ifstream f(csv, std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        std::string bytes = ss.str();
        Session s;
        auto t0 = Clock::now();
        json r = s.applyImport(bytes, {{"mode", "replace"}});
        std::printf("import %.0f ms ok=%d\n", ms(t0), int(r.value("applied", false)));
        t0 = Clock::now();
        if (argc > 4) probe.setWriteFormat(std::atoi(argv[4]));
        StoreResult w = probe.save(s.dir);
        std::printf("save %.0f ms, %zu files, %zu bytes\n", ms(t0), w.filesWritten, w.bytesWritten);
    }
    for (int i = 0; i < runs; ++i) {
        Session s;
        Store st(dir);
        auto t0 = Clock::now();
        StoreResult r = st.load(s.dir);
        std::printf("load %.0f ms (read %.0f, crc %.0f, decode %.0f [lz %.0f], index %.0f) ok=%d users=%u identities=%zu model=%zu MiB\n", ms(t0),
                    r.readMs, r.crcMs, r.decodeMs, r.lzMs, r.indexMs, int(r.ok), s.dir.userCount(), s.dir.identities().size(),
                    s.dir.memoryBytes() >> 20);
    }
    return 0;
}
