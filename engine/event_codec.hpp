#pragma once
// Canonical encoding of dossier events: the bytes stored in the event log and hashed into the audit
// chain (audit_chain.hpp). The encoding is canonical JSON, written by hand:
//   - one object, keys in ascending byte order, no whitespace; "at", "kind", "seq" (the event's
//     sequence number in its dossier) and "v" (the format version) are always present, every
//     other field only when it differs from its default (empty text, list or map, null, false,
//     0, the first enum name, the online channel);
//   - strings are UTF-8 written as is, except '"', '\\' and control characters (< 0x20), which
//     are escaped (\" \\ \b \f \n \r \t, else \u00XX);
//   - instants are integer seconds since 1970-01-01T00:00:00Z; enums are stable lowercase names
//     (they never change once written; new values get new names); status is its national code.
// Format versions: 3 (written now) leaves out default fields, which makes a typical event about a
// third of its format 2 size; 2 wrote every field (absent optionals as null) and recorded the
// kSubmitted event's form values under "form"; 1 is 2 without "form". All three decode. The same
// event always encodes to the same bytes, and decode(encode(e)) == e. decode accepts only
// canonical bytes: anything encode would not have produced in the version it names (a default
// field written out in format 3, a field left out in format 2) is refused, so a stored row that
// was edited by hand is noticed even when it still parses. Pure functions, thread-safe.
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/dossier.hpp"
#include "engine/error.hpp"

namespace motcua::engine {

inline constexpr int kEventFormatVersion = 3;
inline constexpr std::size_t kMaxEncodedEventSize = 1 << 20;

struct SequencedEvent {
  std::int64_t seq = 0;  // 1-based position in the dossier's event log
  Event event;
  friend bool operator==(const SequencedEvent&, const SequencedEvent&) = default;
};

// Errors: kInvalidInput when a string is not valid UTF-8 (the message names the field), seq < 1,
// an enum holds a value outside its declared range, or the encoding would exceed
// kMaxEncodedEventSize (which decode_event refuses).
Result<std::string> encode_event(const Event& event, std::int64_t seq);

// Errors: kInvalidInput for malformed JSON, an unknown format version, a missing, unknown or
// mistyped field, an unknown enum name, input over kMaxEncodedEventSize, or bytes that are not the
// canonical encoding of what they contain.
Result<SequencedEvent> decode_event(std::string_view bytes);

}  // namespace motcua::engine
