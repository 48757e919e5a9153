// window: the act's date, else the evaluation year to 30 June of the next (rules.md "as of the act").
WITH *, coalesce(on, date({year: a.year, month: 1, day: 1})) AS win_start,
     coalesce(on, date({year: a.year + 1, month: 6, day: 30})) AS win_end
