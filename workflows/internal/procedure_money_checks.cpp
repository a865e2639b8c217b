// The checks of the online level against the channels, of the fees and of field-dependent time
// limits (procedure_validator.hpp lists the rules).
#include "workflows/internal/procedure_checker.hpp"

namespace motcua::workflows::checks {

const engine::Field* Checker::require_field(int line, const std::string& what,
                                            const std::string& id,
                                            std::optional<engine::FieldType> type) {
  const engine::Field* f = p_.field(id);
  if (f == nullptr) {
    error(line, what + " names field '" + id + "', which is not declared");
    return nullptr;
  }
  if (type && f->type != *type) {
    static const char* kTypes[] = {"text", "number", "date", "enum", "personal-id"};
    error(line,
          what + " needs field '" + id + "' to be of type " + kTypes[static_cast<int>(*type)]);
    return nullptr;
  }
  return f;
}

void Checker::check_online() {
  const bool online = offers(engine::Channel::kOnline);
  if (p_.online.level >= 3 && !online)
    error(lines_.online ? lines_.online : lines_.channels,
          "a procedure not offered online (no 'online' channel) cannot claim level " +
              std::to_string(p_.online.level) + ": publish it as level 2");
  if (p_.online.level < 3 && online)
    error(lines_.online, "a procedure offered online is at least level 3");
  if (p_.online.level < 3 && p_.online.full)
    error(lines_.online, "a level 2 procedure cannot be full online (toàn trình)");
}

void Checker::check_fees() {
  for (std::size_t i = 0; i < p_.fees.size(); ++i) {
    const engine::Fee& f = p_.fees[i];
    const int line = at(lines_.fees, i);
    const std::string name = "fee '" + f.id + "'";
    const engine::PerPageRate& rate = f.per_page;
    const bool has_rate = rate.page_vnd > 0 || rate.first_page_vnd > 0 || rate.cap_vnd > 0 ||
                          rate.first_pages > 0 || !rate.pages_field.empty() ||
                          !rate.copies_field.empty();
    switch (f.kind) {
      case engine::FeeKind::kFixed:
        if (has_rate)
          error(line, name + " is fixed but has per-page attributes (kind=\"per-page\")");
        break;
      case engine::FeeKind::kUnknown:
        if (f.amount_vnd != 0 || has_rate) error(line, name + " is unknown but gives an amount");
        if (f.unknown.vi.empty() || f.unknown.en.empty())
          error(line, name + " is unknown: publish what is known instead in <unknown vi en>");
        break;
      case engine::FeeKind::kPerPage:
        if (f.amount_vnd != 0) error(line, name + " is per page: give page-vnd, not amount-vnd");
        if (rate.page_vnd == 0 && rate.first_page_vnd == 0)
          error(line, name + " is per page but has no page-vnd or first-page-vnd");
        if ((rate.first_pages > 0) != (rate.first_page_vnd > 0))
          error(line, name + " needs first-pages and first-page-vnd together");
        if (rate.pages_field.empty())
          error(line, name + " is per page but names no pages-field");
        else
          require_field(line, name, rate.pages_field, engine::FieldType::kNumber);
        if (!rate.copies_field.empty())
          require_field(line, name, rate.copies_field, engine::FieldType::kNumber);
        break;
    }
    if (f.kind != engine::FeeKind::kUnknown && (!f.unknown.vi.empty() || !f.unknown.en.empty()))
      error(line, name + " has <unknown> but is not of kind unknown");
    for (const engine::FeeExemption& e : f.exemptions) {
      const engine::Field* field = require_field(line, name + "'s exemption", e.field, {});
      if (field != nullptr && field->type == engine::FieldType::kEnum &&
          std::find(field->options.begin(), field->options.end(), e.value) == field->options.end())
        error(line, name + "'s exemption names value '" + e.value + "', which field '" + e.field +
                        "' does not offer");
    }
  }
}

void Checker::check_field_limit() {
  if (!p_.time_limit.by_field) return;
  const engine::FieldLimit& rule = *p_.time_limit.by_field;
  const int line = lines_.field_limit ? lines_.field_limit : lines_.time_limit;
  if (!p_.time_limit.by_channel.empty())
    error(line, "the time limit follows field '" + rule.field +
                    "' and the channel at once: give one or the other");
  const engine::Field* field =
      require_field(line, "the field-dependent time limit", rule.field, engine::FieldType::kEnum);
  std::set<std::string> seen;
  for (const engine::LimitCase& c : rule.cases) {
    if (!seen.insert(c.value).second)
      error(line, "the time limit gives value '" + c.value + "' twice");
    if (field != nullptr &&
        std::find(field->options.begin(), field->options.end(), c.value) == field->options.end())
      error(line, "the time limit names value '" + c.value + "', which field '" + rule.field +
                      "' does not offer");
    if (c.limit.unit != p_.time_limit.total.unit)
      error(line, "the limit for '" + c.value + "' (" + describe(c.limit) +
                      ") must be in the unit of the total (" + describe(p_.time_limit.total) + ")");
    else if (c.limit.amount > p_.time_limit.total.amount)
      error(line, "the limit for '" + c.value + "' (" + describe(c.limit) +
                      ") is longer than the total (" + describe(p_.time_limit.total) + ")");
  }
  if (field == nullptr || !rule.exhaustive) return;
  if (!field->required)
    error(line, "an exhaustive time limit needs field '" + rule.field + "' to be required");
  for (const std::string& option : field->options) {
    if (!seen.contains(option))
      error(line, "the time limit is exhaustive but gives no limit for '" + option + "'");
  }
}

}  // namespace motcua::workflows::checks
