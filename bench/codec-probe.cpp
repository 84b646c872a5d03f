// The storage codec side by side (issue 18 part 6; not a test): imports a CSV (mode replace), cuts
// the directory into format-3 chunks exactly as a save does, takes each chunk's two sections (meta
// and text) before compression, and compresses and decompresses all of them with each codec:
// Roster's hand-written LZ (the format-3 writer before lz4, lz_legacy.h), lz4 (default and HC) and, when built
// with third_party/zstd (scripts/lib.sh: fetch_zstd), zstd levels 1 and 3.
//
//   build/native/roster_bench_codec CSV [RUNS]
//
// Prints one row a codec: total encode ms and decode ms over every section (the median of RUNS
// runs, default 5), compressed bytes, and whether every section came back byte for byte. Then
// which of the hand-written encoder's sections lz4's own decoder (LZ4_decompress_safe) reads.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>

#include "lz.h"
#include "lz_legacy.h"
#include "lz4.h"
#include "lz4hc.h"
#include "session.h"
#include "storage_codec.h"
#ifdef ROSTER_BENCH_ZSTD
#include "zstd.h"
#endif

using namespace roster;
using Clock = std::chrono::steady_clock;
static double ms(Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); }

struct Codec {
    const char* name;
    std::function<void(const std::string& raw, std::string& out)> encode;
    std::function<bool(const std::string& z, char* dst, size_t rawLen)> decode;
};

static double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

int main(int argc, char** argv) {
    if (argc < 2) { std::fprintf(stderr, "usage: roster_bench_codec CSV [RUNS]\n"); return 2; }
    const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 5;
    std::string bytes;
    {
        std::ifstream f(argv[1], std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        bytes = ss.str();
    }
    Session s;
    auto t0 = Clock::now();
    json r = s.applyImport(bytes, {{"mode", "replace"}});
    bytes.clear();
    bytes.shrink_to_fit();
    if (!r.value("applied", false)) { std::fprintf(stderr, "import failed: %s\n", r.dump().substr(0, 400).c_str()); return 1; }
    std::printf("import %.0f ms: %u people, %zu identities, %zu aliases\n", ms(t0), s.dir.userCount(),
                s.dir.identities().size(), s.dir.aliases().size());

    // Every section a save compresses, before compression, and the hand-written encoder's output.
    std::vector<std::string> raw, handZ;
    size_t chunks = 0;
    for (const ChunkKindInfo& info : kChunkKindInfo) {
        for (uint32_t k = 0; k < chunkCount(s.dir, info.kind); ++k) {
            uint32_t first, count;
            chunkRange(s.dir, info.kind, k, first, count);
            const std::string c = encodeChunk(s.dir, info.kind, first, count, 3);
            ++chunks;
            const uint8_t flags = uint8_t(c[7]);
            uint32_t h[4];
            std::memcpy(h, c.data() + 16, 16);   // metaRaw, metaStored, textRaw, textStored
            const char* p = c.data() + 32;
            for (int sec = 0; sec < 2; ++sec) {
                const uint32_t rawLen = h[sec * 2], stored = h[sec * 2 + 1];
                std::string out(rawLen, '\0');
                if (flags & (1 << sec)) {
                    const bool ok = (flags & 4) ? LZ4_decompress_safe(p, &out[0], int(stored), int(rawLen)) == int(rawLen)
                                                : legacy::lzDecompress(p, stored, &out[0], rawLen);
                    if (!ok) { std::fprintf(stderr, "damaged section\n"); return 1; }
                } else {
                    std::memcpy(&out[0], p, rawLen);
                }
                p += stored;
                std::string z;
                legacy::lzCompress(out.data(), out.size(), z);
                raw.push_back(std::move(out));
                handZ.push_back(std::move(z));
            }
        }
    }
    size_t rawBytes = 0, maxRaw = 0;
    for (auto& x : raw) { rawBytes += x.size(); maxRaw = std::max(maxRaw, x.size()); }
    std::printf("%zu chunks, %zu sections, %.1f MB before compression (largest section %zu bytes)\n\n", chunks, raw.size(),
                rawBytes / 1e6, maxRaw);

    std::vector<Codec> codecs;
    codecs.push_back({"hand-written lz (before lz4)",
                      [](const std::string& in, std::string& out) { legacy::lzCompress(in.data(), in.size(), out); },
                      [](const std::string& z, char* dst, size_t n) { return legacy::lzDecompress(z.data(), z.size(), dst, n); }});
    auto lz4Decode = [](const std::string& z, char* dst, size_t n) {
        return LZ4_decompress_safe(z.data(), dst, int(z.size()), int(n)) == int(n);
    };
    for (int accel : {1, 4}) {
        codecs.push_back({accel == 1 ? "lz4 (default)" : "lz4 fast, acceleration 4",
                          [accel](const std::string& in, std::string& out) {
                              out.resize(size_t(LZ4_compressBound(int(in.size()))));
                              out.resize(size_t(LZ4_compress_fast(in.data(), &out[0], int(in.size()), int(out.size()), accel)));
                          },
                          lz4Decode});
    }
    for (int level : {4, 9}) {
        codecs.push_back({level == 4 ? "lz4 HC level 4" : "lz4 HC level 9",
                          [level](const std::string& in, std::string& out) {
                              out.resize(size_t(LZ4_compressBound(int(in.size()))));
                              out.resize(size_t(LZ4_compress_HC(in.data(), &out[0], int(in.size()), int(out.size()), level)));
                          },
                          lz4Decode});
    }
#ifdef ROSTER_BENCH_ZSTD
    static ZSTD_CCtx* cctx = ZSTD_createCCtx();
    static ZSTD_DCtx* dctx = ZSTD_createDCtx();
    for (int level : {1, 3}) {
        codecs.push_back({level == 1 ? "zstd level 1" : "zstd level 3",
                          [level](const std::string& in, std::string& out) {
                              out.resize(ZSTD_compressBound(in.size()));
                              out.resize(ZSTD_compressCCtx(cctx, &out[0], out.size(), in.data(), in.size(), level));
                          },
                          [](const std::string& z, char* dst, size_t n) {
                              return ZSTD_decompressDCtx(dctx, dst, n, z.data(), z.size()) == n;
                          }});
    }
#endif

    std::printf("| codec | encode ms | decode ms | compressed MB | ratio | round trip |\n");
    std::printf("|---|---:|---:|---:|---:|---|\n");
    std::vector<std::string> z(raw.size());
    std::string dst(maxRaw + 64, '\0');
    for (const Codec& c : codecs) {
        std::vector<double> enc, dec;
        size_t zBytes = 0;
        bool same = true;
        for (int run = 0; run < runs; ++run) {
            auto t = Clock::now();
            for (size_t i = 0; i < raw.size(); ++i) { z[i].clear(); c.encode(raw[i], z[i]); }
            enc.push_back(ms(t));
            t = Clock::now();
            bool ok = true;
            for (size_t i = 0; i < raw.size(); ++i) ok &= c.decode(z[i], &dst[0], raw[i].size());
            dec.push_back(ms(t));
            same &= ok;
        }
        zBytes = 0;
        for (size_t i = 0; i < raw.size(); ++i) {   // checked outside the timed loop
            zBytes += z[i].size();
            same &= c.decode(z[i], &dst[0], raw[i].size()) && std::memcmp(dst.data(), raw[i].data(), raw[i].size()) == 0;
        }
        std::printf("| %s | %.0f | %.0f | %.1f | %.2f | %s |\n", c.name, median(enc), median(dec), zBytes / 1e6,
                    double(rawBytes) / double(zBytes), same ? "identical" : "DIFFERS");
        std::fflush(stdout);
    }

    // Does lz4's decoder read what the hand-written encoder wrote (format-3 chunks stored today)?
    size_t strictOk = 0, strictBad = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
        const int n = LZ4_decompress_safe(handZ[i].data(), &dst[0], int(handZ[i].size()), int(raw[i].size()));
        if (n == int(raw[i].size()) && std::memcmp(dst.data(), raw[i].data(), raw[i].size()) == 0) ++strictOk;
        else ++strictBad;
    }
    // And the other way: does the hand-written decoder (older Roster versions) read the blocks the app writes now?
    size_t backOk = 0;
    for (size_t i = 0; i < raw.size(); ++i) {
        std::string zz;
        lzCompress(raw[i].data(), raw[i].size(), zz);   // the app's encoder (lz.h)
        if (legacy::lzDecompress(zz.data(), zz.size(), &dst[0], raw[i].size()) && std::memcmp(dst.data(), raw[i].data(), raw[i].size()) == 0) ++backOk;
    }
    std::printf("\nLZ4_decompress_safe reads %zu of %zu sections written by the hand-written encoder byte for byte (%zu rejected)\n",
                strictOk, raw.size(), strictBad);
    std::printf("the hand-written decoder reads %zu of %zu sections the app writes now (lz.h)\n", backOk, raw.size());
    return 0;
}
