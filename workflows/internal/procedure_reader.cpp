#include "workflows/internal/procedure_reader.hpp"

#include <libxml/tree.h>
#include <libxml/xmlstring.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "base/c_handle.hpp"

namespace motcua::workflows {
namespace {

using base::CHandle;

using engine::Duration;

void free_xml_string(xmlChar* text) { xmlFree(text); }
using XmlString = CHandle<xmlChar, free_xml_string>;

bool is_element(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE && xmlStrEqual(node->name, BAD_CAST name) != 0;
}

std::vector<xmlNode*> children(xmlNode* parent, const char* name = nullptr) {
  std::vector<xmlNode*> out;
  for (xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && (name == nullptr || is_element(c, name))) out.push_back(c);
  }
  return out;
}

xmlNode* child(xmlNode* parent, const char* name) {
  for (xmlNode* c = parent->children; c != nullptr; c = c->next) {
    if (is_element(c, name)) return c;
  }
  return nullptr;
}

// Collapses every run of white space to one space and trims: definitions wrap long texts freely.
std::string normalised(const xmlChar* raw) {
  std::string out;
  bool space = false;
  for (const xmlChar* p = raw; p != nullptr && *p != 0; ++p) {
    const char c = static_cast<char>(*p);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::optional<std::string> attr(xmlNode* node, const char* name) {
  XmlString value(xmlGetNoNsProp(node, BAD_CAST name));
  if (!value) return std::nullopt;
  return normalised(value.get());
}

std::string attr_or(xmlNode* node, const char* name, std::string fallback = {}) {
  return attr(node, name).value_or(std::move(fallback));
}

std::string text_of(xmlNode* node) {
  if (node == nullptr) return {};
  XmlString value(xmlNodeGetContent(node));
  return normalised(value.get());
}

int line_of(const xmlNode* node) { return static_cast<int>(xmlGetLineNo(node)); }

std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

engine::Text names(xmlNode* node) { return {attr_or(node, "vi"), attr_or(node, "en")}; }

// Reads one element's values, recording a diagnostic (with the element's line) for each value the
// schema lets through but the model cannot hold.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  void error(const xmlNode* node, std::string message) {
    diagnostics_.push_back({source_, node == nullptr ? 0 : line_of(node), std::move(message)});
  }

  bool flag(xmlNode* node, const char* name, bool fallback) {
    auto v = attr(node, name);
    if (!v) return fallback;
    return *v == "true" || *v == "1";
  }

  std::optional<std::int64_t> integer(xmlNode* node, const char* name, std::int64_t max) {
    auto v = attr(node, name);
    if (!v) return std::nullopt;
    std::int64_t value = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), value);
    if (ec != std::errc() || end != v->data() + v->size() || value < 0 || value > max) {
      error(node, std::string("attribute '") + name + "' must be a whole number from 0 to " +
                      std::to_string(max) + ", not '" + *v + "'");
      return std::nullopt;
    }
    return value;
  }

  std::optional<double> real(xmlNode* node, const char* name) {
    auto v = attr(node, name);
    if (!v) return std::nullopt;
    char* end = nullptr;
    const double value = std::strtod(v->c_str(), &end);
    if (end != v->c_str() + v->size() || !std::isfinite(value)) {
      error(node,
            std::string("attribute '") + name + "' must be a finite number, not '" + *v + "'");
      return std::nullopt;
    }
    return value;
  }

  std::optional<Duration> duration(xmlNode* node, const char* name) {
    auto v = attr(node, name);
    if (!v) return std::nullopt;
    auto d = engine::parse_duration(*v);
    if (!d) {
      error(node, std::string("attribute '") + name + "': " + d.error().message);
      return std::nullopt;
    }
    return *d;
  }

  Diagnostics take() { return std::move(diagnostics_); }
  bool ok() const { return diagnostics_.empty(); }

 private:
  std::string source_;
  Diagnostics diagnostics_;
};

engine::FieldType field_type(const std::string& text) {
  if (text == "number") return engine::FieldType::kNumber;
  if (text == "date") return engine::FieldType::kDate;
  if (text == "enum") return engine::FieldType::kEnum;
  if (text == "personal-id") return engine::FieldType::kPersonalId;
  return engine::FieldType::kText;
}

engine::ClockEffect clock_effect(const std::string& text) {
  if (text == "start") return engine::ClockEffect::kStart;
  if (text == "supplement-request") return engine::ClockEffect::kSupplementRequest;
  if (text == "supplement-received") return engine::ClockEffect::kSupplementReceived;
  if (text == "redate") return engine::ClockEffect::kRedate;
  if (text == "finish") return engine::ClockEffect::kFinish;
  if (text == "end") return engine::ClockEffect::kEnd;
  return engine::ClockEffect::kNone;
}

void read_identity(Reader& r, xmlNode* root, ReadProcedure& out) {
  engine::Procedure& p = out.procedure;
  p.code = attr_or(root, "code");
  if (auto v = r.integer(root, "version", 1'000'000)) p.version = static_cast<int>(*v);
  if (auto d = engine::parse_date(attr_or(root, "effective-from")); d) {
    p.effective_from = *d;
  } else {
    r.error(root, "attribute 'effective-from' is not a real date: " + d.error().message);
  }
  if (xmlNode* n = child(root, "name")) p.name = names(n);
  p.sector = text_of(child(root, "sector"));
  p.legal_basis = text_of(child(root, "legal-basis"));
  if (xmlNode* n = child(root, "online")) {
    out.lines.online = line_of(n);
    p.online.level = static_cast<int>(r.integer(n, "level", 4).value_or(3));
    p.online.full = attr_or(n, "mode") == "full";
    xmlNode* reason = child(n, "reason");
    p.online.partial_reason = text_of(reason);
    if (reason != nullptr) p.online.partial_basis = attr_or(reason, "basis");
  }
  if (xmlNode* n = child(root, "channels")) {
    out.lines.channels = line_of(n);
    for (const std::string& w : words(text_of(n))) {
      if (auto c = engine::parse_channel(w))
        p.channels.push_back(*c);
      else
        r.error(n, c.error().message);
    }
  }
}

void read_parties(Reader& r, xmlNode* root, ReadProcedure& out) {
  engine::Procedure& p = out.procedure;
  if (xmlNode* agencies = child(root, "agencies")) {
    out.lines.agencies_element = line_of(agencies);
    p.receiving_agency = attr_or(agencies, "receiving");
    for (xmlNode* n : children(agencies, "agency")) {
      p.agencies.push_back({attr_or(n, "key"), attr_or(n, "code"), attr_or(n, "level"), names(n)});
      out.lines.agencies.push_back(line_of(n));
    }
  }
  if (xmlNode* roles = child(root, "roles")) {
    for (xmlNode* n : children(roles, "role")) {
      p.roles.push_back({attr_or(n, "id"), names(n)});
      out.lines.roles.push_back(line_of(n));
    }
  }
  if (xmlNode* fields = child(root, "fields")) {
    for (xmlNode* n : children(fields, "field")) {
      engine::Field f;
      f.id = attr_or(n, "id");
      f.name = names(n);
      f.type = field_type(attr_or(n, "type"));
      f.required = r.flag(n, "required", false);
      if (auto v = r.integer(n, "max-length", 1'000'000))
        f.max_length = static_cast<std::size_t>(*v);
      f.pattern = attr_or(n, "pattern");
      for (xmlNode* o : children(n, "option")) f.options.push_back(text_of(o));
      f.min = r.real(n, "min");
      f.max = r.real(n, "max");
      p.fields.push_back(std::move(f));
      out.lines.fields.push_back(line_of(n));
    }
  }
  if (xmlNode* components = child(root, "components")) {
    for (xmlNode* n : children(components, "component")) {
      engine::Component c;
      c.id = attr_or(n, "id");
      c.name = names(n);
      c.required = r.flag(n, "required", true);
      c.originals = static_cast<int>(r.integer(n, "originals", 99).value_or(0));
      c.copies = static_cast<int>(r.integer(n, "copies", 99).value_or(0));
      c.form = attr_or(n, "form");
      p.components.push_back(std::move(c));
      out.lines.components.push_back(line_of(n));
    }
  }
}

engine::Fee read_fee(Reader& r, xmlNode* n) {
  engine::Fee f;
  f.id = attr_or(n, "id");
  f.name = names(n);
  const std::string kind = attr_or(n, "kind", "fixed");
  f.kind = kind == "per-page"  ? engine::FeeKind::kPerPage
           : kind == "unknown" ? engine::FeeKind::kUnknown
                               : engine::FeeKind::kFixed;
  constexpr std::int64_t kMaxVnd = 1'000'000'000'000;
  f.amount_vnd = r.integer(n, "amount-vnd", kMaxVnd).value_or(0);
  // An unknown amount is never 0 VND: refuse amount-vnd="0" on it here, where presence is known.
  if (f.kind == engine::FeeKind::kUnknown && attr(n, "amount-vnd"))
    r.error(n, "fee '" + f.id + "' is unknown but gives an amount");
  f.per_page.first_pages = static_cast<int>(r.integer(n, "first-pages", 99).value_or(0));
  f.per_page.first_page_vnd = r.integer(n, "first-page-vnd", kMaxVnd).value_or(0);
  f.per_page.page_vnd = r.integer(n, "page-vnd", kMaxVnd).value_or(0);
  f.per_page.cap_vnd = r.integer(n, "cap-vnd", kMaxVnd).value_or(0);
  f.per_page.pages_field = attr_or(n, "pages-field");
  f.per_page.copies_field = attr_or(n, "copies-field");
  if (xmlNode* u = child(n, "unknown")) f.unknown = names(u);
  for (xmlNode* e : children(n, "exemption"))
    f.exemptions.push_back({attr_or(e, "field"), attr_or(e, "value"), names(e)});
  if (auto c = attr(n, "channel")) {
    if (auto parsed = engine::parse_channel(*c))
      f.channel = *parsed;
    else
      r.error(n, parsed.error().message);
  }
  f.basis = attr_or(n, "basis");
  return f;
}

void read_money_and_time(Reader& r, xmlNode* root, ReadProcedure& out) {
  engine::Procedure& p = out.procedure;
  if (xmlNode* fees = child(root, "fees")) {
    for (xmlNode* n : children(fees, "fee")) {
      p.fees.push_back(read_fee(r, n));
      out.lines.fees.push_back(line_of(n));
    }
  }
  if (xmlNode* n = child(root, "payment")) {
    out.lines.payment = line_of(n);
    p.payment.online = r.flag(n, "online", false);
    p.payment.at = attr_or(n, "at", "submission");
    if (xmlNode* terms = child(n, "terms")) p.payment.terms = names(terms);
  }
  if (xmlNode* n = child(root, "time-limit")) {
    out.lines.time_limit = line_of(n);
    if (auto d = r.duration(n, "total")) p.time_limit.total = *d;
    if (auto cutoff = attr(n, "same-day-cutoff")) {
      if (auto m = engine::parse_clock_time(*cutoff))
        p.time_limit.same_day_cutoff = *m;
      else
        r.error(n, "attribute 'same-day-cutoff': " + m.error().message);
    }
    p.supplement_mode = attr_or(n, "supplement") == "pause" ? engine::SupplementMode::kPause
                                                            : engine::SupplementMode::kRestart;
    if (auto d = r.duration(n, "supplement-window")) p.time_limit.supplement_window = *d;
    for (xmlNode* c : children(n, "channel-limit")) {
      auto channel = engine::parse_channel(attr_or(c, "channel"));
      auto limit = r.duration(c, "limit");
      if (!channel || !limit) continue;
      if (!p.time_limit.by_channel.emplace(*channel, *limit).second) {
        r.error(c, "the limit for channel '" + std::string(engine::to_string(*channel)) +
                       "' is given twice");
        continue;
      }
      out.lines.channel_limits[*channel] = line_of(c);
    }
    if (xmlNode* f = child(n, "field-limit")) {
      out.lines.field_limit = line_of(f);
      engine::FieldLimit rule;
      rule.field = attr_or(f, "field");
      rule.exhaustive = r.flag(f, "exhaustive", false);
      for (xmlNode* c : children(f, "case")) {
        if (auto limit = r.duration(c, "limit"))
          rule.cases.push_back({attr_or(c, "value"), *limit});
      }
      p.time_limit.by_field = std::move(rule);
    }
  }
}

engine::State read_state(Reader& r, xmlNode* n) {
  engine::State s;
  s.id = attr_or(n, "id");
  s.name = names(n);
  s.status = static_cast<engine::StatusCode>(r.integer(n, "status", 1000).value_or(0));
  s.agency = attr_or(n, "agency");
  s.role = attr_or(n, "role");
  s.budget = r.duration(n, "budget");
  s.cross_level = r.flag(n, "cross-level", false);
  s.line = line_of(n);
  if (is_element(n, "final")) s.kind = engine::StateKind::kFinal;
  if (is_element(n, "parallel")) {
    s.kind = engine::StateKind::kParallel;
    s.on_complete = attr_or(n, "on-complete");
    for (xmlNode* b : children(n, "branch")) {
      engine::Branch branch;
      branch.id = attr_or(b, "id");
      branch.name = names(b);
      branch.agency = attr_or(b, "agency");
      branch.role = attr_or(b, "role");
      if (auto d = r.duration(b, "budget")) branch.budget = *d;
      branch.action = attr_or(b, "action", "respond");
      branch.silence_is_consent = r.flag(b, "silence-is-consent", false);
      branch.line = line_of(b);
      s.branches.push_back(std::move(branch));
    }
  }
  return s;
}

void read_flow(Reader& r, xmlNode* root, ReadProcedure& out) {
  engine::Procedure& p = out.procedure;
  if (xmlNode* states = child(root, "states")) {
    out.lines.states_element = line_of(states);
    p.initial_state = attr_or(states, "initial");
    for (xmlNode* n : children(states)) p.states.push_back(read_state(r, n));
  }
  if (xmlNode* transitions = child(root, "transitions")) {
    for (xmlNode* n : children(transitions, "transition")) {
      engine::Transition t;
      t.action = attr_or(n, "action");
      t.name = names(n);
      t.from = words(attr_or(n, "from"));
      t.to = attr_or(n, "to");
      t.roles = words(attr_or(n, "roles"));
      t.requires_reason = r.flag(n, "requires-reason", false);
      t.requires_components = r.flag(n, "requires-components", false);
      t.components = words(attr_or(n, "components"));
      t.requires_signature = r.flag(n, "requires-signature", false);
      t.issues_result = r.flag(n, "issues-result", false);
      t.clock = clock_effect(attr_or(n, "clock", "none"));
      t.line = line_of(n);
      p.transitions.push_back(std::move(t));
    }
  }
  if (xmlNode* results = child(root, "results")) {
    out.lines.results_element = line_of(results);
    for (xmlNode* n : children(results, "result")) {
      p.results.push_back(
          {attr_or(n, "id"), attr_or(n, "code"), names(n), attr_or(n, "signer-role")});
      out.lines.results.push_back(line_of(n));
    }
  }
}

}  // namespace

tl::expected<ReadProcedure, Diagnostics> read_procedure(const XmlDocument& document) {
  Reader reader(document.source());
  xmlNode* root = document.root();
  if (root == nullptr || !is_element(root, "procedure")) {
    reader.error(root, "the root element must be <procedure>");
    return tl::unexpected(reader.take());
  }
  ReadProcedure out;
  out.lines.procedure = line_of(root);
  out.procedure.source_path = document.source();
  read_identity(reader, root, out);
  read_parties(reader, root, out);
  read_money_and_time(reader, root, out);
  read_flow(reader, root, out);
  if (!reader.ok()) return tl::unexpected(reader.take());
  return out;
}

}  // namespace motcua::workflows
