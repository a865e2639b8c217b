#include "store/internal/event_rows.hpp"

#include <zlib.h>

#include <memory>

#include "engine/audit_chain.hpp"

namespace motcua::store::detail {

using engine::ErrorCode;
using engine::fail;

namespace {

// Format 1's preset dictionary: fragments of canonical event encodings, the rarer first (DEFLATE
// reaches the end of the dictionary with the shortest distances). Written once; never edited, since
// every row of format 1 needs exactly these bytes to inflate.
constexpr std::string_view kDictionary =
    R"("branches_opened":[{"agency_id":"","answer":"","branch":"","completed":17,"due":17,)"
    R"("handler":"","opened":17,"role":""}],"kind":"branch_completed","kind":"redated",)"
    R"("kind":"clock_resumed","channel":"postal","channel":"desk","step_due":17,)"
    R"("actor":{"kind":"system","role":"","user":"scheduler"},"verdict":"late","verdict":"on_time",)"
    R"("issues_result":true,"kind":"finished","verdict":"early",)"
    R"("actor":{"kind":"applicant","role":"applicant","user":"anonymous"},"agency_id":"000.)"
    R"("agency_ids":{"commune-centre":"000.","commune-ppc":"000.","land-office":"000.",)"
    R"("code":"000.","form":{"full-name":"","personal-id":"","address":"","kind":"submitted",)"
    R"("procedure_code":"1.0","procedure_hash":"","procedure_version":1,"seq":1,"status":1,)"
    R"("to_state":"submitted","v":3})"
    "\n"
    R"({"action":"request-supplement","components":[""],"kind":"clock_stopped",)"
    R"("kind":"clock_restarted","from_state":"supplement-requested","to_state":"appraisal",)"
    R"("action":"supplement-received","action":"propose","to_state":"decision","action":"approve",)"
    R"("to_state":"resolved","action":"refuse","kind":"clock_started","clock_start":17,"due":17)"
    R"({"action":"accept","actor":{"agency_id":"000.","role":"desk","user":"","role":"officer",)"
    R"("role":"leader","agency_id":"000.","at":17,"from_state":"submitted","kind":"transitioned",)"
    R"("reason":"","seq":,"status":4,"to_state":"appraisal","v":3})"
    "\n";

constexpr int kWindowBits = -12;  // raw DEFLATE, 4 KiB window (the dictionary fits in it)
constexpr int kMemLevel = 6;
constexpr int kLevel = 9;

Bytef* bytes_of(std::string_view s) {
  return reinterpret_cast<Bytef*>(const_cast<char*>(s.data()));
}

struct Deflater {
  z_stream z{};
  bool ready = false;
  Deflater() {
    ready = deflateInit2(&z, kLevel, Z_DEFLATED, kWindowBits, kMemLevel, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~Deflater() {
    if (ready) deflateEnd(&z);
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;
};

struct Inflater {
  z_stream z{};
  bool ready = false;
  Inflater() { ready = inflateInit2(&z, kWindowBits) == Z_OK; }
  ~Inflater() {
    if (ready) inflateEnd(&z);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
};

engine::Error unreadable(std::string_view why) {
  return engine::Error{ErrorCode::kInternal, "stored event row is unreadable: " + std::string(why),
                       ""};
}

}  // namespace

std::string join_events(const std::vector<std::string>& encodings) {
  std::string out;
  for (const std::string& e : encodings) {
    if (!out.empty()) out += '\n';
    out += e;
  }
  return out;
}

std::vector<std::string> split_events(std::string_view joined) {
  const std::vector<std::string_view> views = engine::row_events(joined);
  return {views.begin(), views.end()};
}

engine::Result<std::string> pack_events(const std::vector<std::string>& encodings) {
  if (encodings.empty()) return fail(ErrorCode::kInvalidInput, "an event row needs events");
  std::size_t size = encodings.size() - 1;
  for (const std::string& e : encodings) {
    if (e.empty() || e.find('\n') != std::string::npos)
      return fail(ErrorCode::kInvalidInput, "an event encoding is empty or holds a newline");
    size += e.size();
  }
  if (size > kMaxEventRowSize)
    return fail(ErrorCode::kInvalidInput, "the events of one command exceed the row size limit");
  return pack_joined(join_events(encodings));
}

engine::Result<std::string> pack_joined(std::string_view joined) {
  thread_local Deflater d;
  if (!d.ready || deflateReset(&d.z) != Z_OK ||
      deflateSetDictionary(&d.z, bytes_of(kDictionary), static_cast<uInt>(kDictionary.size())) !=
          Z_OK)
    return fail(ErrorCode::kInternal, "zlib could not start compressing an event row");
  std::string out(1 + deflateBound(&d.z, static_cast<uLong>(joined.size())), '\0');
  out[0] = static_cast<char>(kEventRowFormat);
  d.z.next_in = bytes_of(joined);
  d.z.avail_in = static_cast<uInt>(joined.size());
  d.z.next_out = reinterpret_cast<Bytef*>(out.data() + 1);
  d.z.avail_out = static_cast<uInt>(out.size() - 1);
  if (deflate(&d.z, Z_FINISH) != Z_STREAM_END)
    return fail(ErrorCode::kInternal, "zlib could not compress an event row");
  out.resize(1 + d.z.total_out);
  return out;
}

engine::Result<std::vector<std::string>> unpack_events(std::string_view body) {
  if (body.empty() || static_cast<unsigned char>(body[0]) != kEventRowFormat)
    return tl::unexpected(unreadable("unknown format"));
  thread_local Inflater f;
  if (!f.ready || inflateReset(&f.z) != Z_OK ||
      inflateSetDictionary(&f.z, bytes_of(kDictionary), static_cast<uInt>(kDictionary.size())) !=
          Z_OK)
    return tl::unexpected(unreadable("zlib could not start"));
  const std::string_view data = body.substr(1);
  f.z.next_in = bytes_of(data);
  f.z.avail_in = static_cast<uInt>(data.size());
  std::string joined;
  char chunk[16384];
  int rc = Z_OK;
  while (rc == Z_OK) {
    f.z.next_out = reinterpret_cast<Bytef*>(chunk);
    f.z.avail_out = sizeof chunk;
    rc = inflate(&f.z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) return tl::unexpected(unreadable("corrupt data"));
    joined.append(chunk, sizeof chunk - f.z.avail_out);
    if (joined.size() > kMaxEventRowSize) return tl::unexpected(unreadable("too large"));
    if (rc == Z_OK && f.z.avail_in == 0 && f.z.avail_out != 0)
      return tl::unexpected(unreadable("truncated"));
  }
  if (f.z.avail_in != 0) return tl::unexpected(unreadable("trailing bytes"));
  return split_events(joined);
}

}  // namespace motcua::store::detail
