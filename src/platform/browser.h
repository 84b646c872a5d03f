#pragma once
// What the platform parts call in the page: the functions of library_roster.js and the clock.
#include <cstddef>
#include <emscripten.h>

extern "C" {
void roster_js_persist(const char* paths, int timeoutMs);
void roster_js_ready();
void roster_js_sync_finished(int ok, double revision, const char* code, const char* msg);
void roster_js_copy_text(const char* text);
void roster_js_fetch_sample();
void roster_js_open_picker();
void roster_js_save_file(const char* name, const char* data, size_t len);
void roster_js_save_zip(const char* zipName, const char* bundle, size_t len);   // files in the bundle layout, zipped by the page
const char* roster_js_storage_error();   // malloc'd "CODE|message" or null
const char* roster_js_initial_role();    // malloc'd "editor"/"reader"/"unknown"
void roster_js_on_saved();
void roster_js_take_over();
void roster_js_version_capture(const char* files, const char* keep);
void roster_js_version_fetch(const char* files);
void roster_js_ask_persist();
void roster_js_set_cursor(const char* css);
}

namespace roster::platform {
inline double nowMs() { return emscripten_get_now(); }
inline double nowSeconds() { return emscripten_get_now() / 1000.0; }
}  // namespace roster::platform
