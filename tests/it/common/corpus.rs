//! What the sample corpus holds, transcribed from the corpus generator's
//! manifest (`MANIFEST.md` / `manifest.json`, written when the pages were made),
//! never from citeindex's own output. Section buckets are assigned by hand from
//! the bucket names in FORMAT.md. Statement texts have their line breaks and
//! runs of white space collapsed to single spaces.

/// One saved file of the corpus that is a report page.
#[derive(Debug)]
pub(crate) struct PageFacts {
    /// Manifest id (`P01`, `H3`, `X1`, ...).
    pub id: &'static str,
    /// Path below `sample-corpus/`, with `/` separators.
    pub path: &'static str,
    /// The DOI as the page writes it (any case); `None` when the page shows none.
    pub doi_as_written: Option<&'static str>,
    pub year: Option<u16>,
    pub title: &'static str,
    /// The abstract without the `Show more` button label.
    pub abstract_text: &'static str,
    /// Supporting, mentioning, contrasting.
    pub tally: [u64; 3],
    pub cited_by: u64,
    pub citation_statements: u64,
    pub references: u64,
    /// The complete statements, in page order, repeats dropped.
    pub statements: &'static [StatementFacts],
    /// The start of a statement the file cuts off before its end.
    pub cut_off: Option<&'static str>,
}

#[derive(Debug)]
pub(crate) struct StatementFacts {
    pub text: &'static str,
    pub section: Option<&'static str>,
    pub bucket: Option<&'static str>,
    /// The type word as the page writes it (`contradicting`, `disputing` included).
    pub type_as_written: Option<&'static str>,
    pub confidence: Option<u8>,
    pub cited: &'static [(&'static str, u16)],
}

const P01_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Overnight gains in paired-associate recall scaled with fast sleep spindles recorded over centro-parietal sites (Okafor et al., 2020), and this relationship survived correction for total sleep time (Lindqvist et al, 2019). We therefore treat spindle density as a marker of hippocampal-neocortical dialogue rather than as a generic index of sleep depth.",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(97),
        cited: &[("Okafor", 2020), ("Lindqvist", 2019)],
    },
    StatementFacts {
        text: "Consistent with earlier reports (Åström et al., 2018; Haddad & Brennan, 2012), participants with higher spindle density after learning retained more word pairs at the morning test (r = .46). The effect was restricted to stage N2 and was absent for items encoded after the nap (see Table 2), which argues for a hippocampal tagging process at encoding.",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(92),
        cited: &[("Åström", 2018), ("Haddad", 2012), ("Brennan", 2012)],
    },
    StatementFacts {
        text: "Spindle-locked hippocampal ripples have been proposed as the vehicle for this transfer (e.g., spindle density, slow-oscillation coupling; Åström & Lindqvist, 2015; Okafor et al., 2020), although direct hippocampal recordings in humans remain scarce (Marsh, 2010).",
        section: Some("Effects Of Sleep Spindle Density On Overnight Memory Re..."),
        bucket: Some("other"),
        type_as_written: Some("supporting"),
        confidence: Some(88),
        cited: &[("Åström", 2015), ("Lindqvist", 2015), ("Okafor", 2020), ("Marsh", 2010)],
    },
    StatementFacts {
        text: "In contrast to the present findings, Tanaka and Whitfield (2017) found no association between spindles and next-day recall once the analysis controlled for the amount of slow-wave sleep (or sleep-dependent consolidation).",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("contrasting"),
        confidence: Some(71),
        cited: &[("Tanaka", 2017), ("Whitfield", 2017)],
    },
    StatementFacts {
        text: "A limitation shared with earlier nap studies (Kowalczyk et al., 2009; Nakamura et al., 2021) is that spindle detection relied on a single automated algorithm with a fixed amplitude threshold.",
        section: Some("Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(84),
        cited: &[("Kowalczyk", 2009), ("Nakamura", 2021)],
    },
];

const P02_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Replaying learning-related sounds during slow-wave sleep improved later recall of object locations (Van Dijk, 2010; De Vries et al., 2015), an effect that was largest when cues fell on the up-state of the slow oscillation.",
        section: Some("Background"),
        bucket: Some("background"),
        type_as_written: Some("supporting"),
        confidence: Some(90),
        cited: &[("Van Dijk", 2010), ("De Vries", 2015)],
    },
    StatementFacts {
        text: "Cueing increased the number of spindles detected in the following seconds, yet the benefit for memory did not depend on whether the cue arrived in early or late sleep (De Vries et al., 2015; Haddad & Brennan, 2013).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("mentioning"),
        confidence: Some(78),
        cited: &[("De Vries", 2015), ("Haddad", 2013), ("Brennan", 2013)],
    },
    StatementFacts {
        text: "Our protocol followed the closed-loop procedure described by van der Berg and Osei (2012), with cues delivered at 45 dB through in-ear phones (n = 120).",
        section: Some("Materials and Methods"),
        bucket: Some("methods"),
        type_as_written: Some("mentioning"),
        confidence: Some(95),
        cited: &[("van der Berg", 2012), ("Osei", 2012)],
    },
    StatementFacts {
        text: "Unlike the strong reactivation benefit reported by Okafor et al. (2020), we observed no hippocampal contribution to the cueing effect in older adults, which suggests that age-related decline in sleep spindles limits the benefit of cueing.",
        section: Some("4.2 General Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("contradicting"),
        confidence: Some(66),
        cited: &[("Okafor", 2020)],
    },
];

const P03_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Older adults show fewer and smaller slow oscillations over prefrontal cortex (Ferreira & Quist, 2008; Seidel et al., 2011), and this loss predicts poorer overnight retention (Ferreira & Quist, 2013).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(93),
        cited: &[("Ferreira", 2008), ("Quist", 2008), ("Seidel", 2011), ("Ferreira", 2013), ("Quist", 2013)],
    },
    StatementFacts {
        text: "We replicated the age difference in slow-oscillation amplitude (Ferreira & Quist, 2013) but the decline in sleep spindles was smaller than expected.",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(86),
        cited: &[("Ferreira", 2013), ("Quist", 2013)],
    },
    StatementFacts {
        text: "Frontal grey-matter atrophy mediated the link between age and slow-wave activity in one cohort (Rautio, Seidel, Kaplan, Moreau, et al, 2020), yet the same pathway was not replicated in a larger sample (Takeda et al., 2022).",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("disputing"),
        confidence: Some(62),
        cited: &[("Rautio", 2020), ("Seidel", 2020), ("Kaplan", 2020), ("Moreau", 2020), ("Takeda", 2022)],
    },
    StatementFacts {
        text: "Overall, the evidence indicates that slow oscillations remain a modifiable target for interventions in late life (Eklund, 2019a; Eklund, 2019b).",
        section: Some("Conclusions"),
        bucket: Some("conclusion"),
        type_as_written: Some("mentioning"),
        confidence: Some(80),
        cited: &[("Eklund", 2019)],
    },
];

const P04_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Chronic short sleep is common in secondary-school students (Castellanos et al., 2014) and has been linked to lower grades (O'Connor et al., 2017).",
        section: Some("Background"),
        bucket: Some("background"),
        type_as_written: Some("mentioning"),
        confidence: Some(91),
        cited: &[("Castellanos", 2014), ("O'Connor", 2017)],
    },
    StatementFacts {
        text: "After five nights restricted to 6.5 h in bed, adolescents learned fewer new words than well-rested peers, echoing findings in adults (Iyer & Halvorsen, 2018).",
        section: None,
        bucket: None,
        type_as_written: None,
        confidence: Some(74),
        cited: &[("Iyer", 2018), ("Halvorsen", 2018)],
    },
    StatementFacts {
        text: "Recovery sleep on the weekend did not restore learning capacity (Abiodun et al., 2022), a result that bears directly on school start times.",
        section: Some("Conclusion"),
        bucket: Some("conclusion"),
        type_as_written: Some("supporting"),
        confidence: Some(89),
        cited: &[("Abiodun", 2022)],
    },
    StatementFacts {
        text: "The link between restriction and poorer recall may be partly explained by reduced hippocampal encoding capacity, though this remains a hypothesis (Iyer & Halvorsen, 2018).",
        section: Some("Why Does Short Sleep Hurt Encoding? A Tentative Model"),
        bucket: Some("other"),
        type_as_written: Some("unclassified"),
        confidence: Some(60),
        cited: &[("Iyer", 2018), ("Halvorsen", 2018)],
    },
];

const P05_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Repeated drought shifts grassland soils toward Actinobacteria-dominated communities (Müller et al., 2016; García & Nørgaard, 2014), and these shifts persist for at least two growing seasons after rewetting.",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(94),
        cited: &[("Müller", 2016), ("García", 2014), ("Nørgaard", 2014)],
    },
    StatementFacts {
        text: "Our rewetting pulse produced a CO2 burst of similar size to that reported for alpine meadows (Åström et al., 2018), but bacterial richness recovered within 30 days, unlike in the earlier study (Müller-Lüdenscheidt et al., 2016).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("contrasting"),
        confidence: Some(77),
        cited: &[("Åström", 2018), ("Müller-Lüdenscheidt", 2016)],
    },
    StatementFacts {
        text: "Soil cores were sieved to 2 mm and stored at -80 °C before DNA extraction following Ólafsdóttir (2022).",
        section: Some("Methods"),
        bucket: Some("methods"),
        type_as_written: Some("mentioning"),
        confidence: Some(98),
        cited: &[("Ólafsdóttir", 2022)],
    },
    StatementFacts {
        text: "Together with evidence from Mediterranean shrublands (García et al., 2012), these data suggest that drought history is a stronger filter on soil microbiomes than current moisture.",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("supporting"),
        confidence: Some(83),
        cited: &[("García", 2012)],
    },
];

const P06_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Degree heating weeks above 8 were followed by widespread mortality of branching Acropora (Kimura & Eklund, 2016), a threshold since confirmed on several reef systems (Pereira et al., 2020; Sandoval et al., 2021).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("supporting"),
        confidence: Some(96),
        cited: &[("Kimura", 2016), ("Eklund", 2016), ("Pereira", 2020), ("Sandoval", 2021)],
    },
    StatementFacts {
        text: "Bleaching severity was lower at sites with high turbidity, consistent with shading by suspended sediment [12], although others attribute this to local adaptation [3, 4].",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("mentioning"),
        confidence: Some(82),
        cited: &[],
    },
    StatementFacts {
        text: "The recovery interval between events has shortened from roughly 25 years to under 6 (Pereira et al., 2020), leaving too little time for slow-growing massive corals to re-establish (see Lowry, 2015; e.g., Rinaldi & Fischbach, 2019).",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("mentioning"),
        confidence: Some(90),
        cited: &[("Pereira", 2020), ("Lowry", 2015), ("Rinaldi", 2019), ("Fischbach", 2019)],
    },
    StatementFacts {
        text: "Symbiont shuffling toward heat-tolerant Durusdinium did not protect colonies in 2016, contradicting earlier optimism (Varga et al., 2011).",
        section: Some("Strengths and Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("contrasting"),
        confidence: Some(68),
        cited: &[("Varga", 2011)],
    },
];

const P07_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Each 10% increase in canopy cover lowered daytime surface temperature by about 1 °C (Novak & Halvorsen, 2017;Achterberg et al., 2021), but night-time cooling was weaker and more variable.",
        section: Some("Literature Review"),
        bucket: Some("background"),
        type_as_written: Some("mentioning"),
        confidence: Some(88),
        cited: &[("Novak", 2017), ("Halvorsen", 2017), ("Achterberg", 2021)],
    },
    StatementFacts {
        text: "Heat-related hospital admissions were concentrated in districts with an impervious surface fraction above 0.7 (de Souza et al., 2018; Stępień et al., 2019).",
        section: Some("Participants"),
        bucket: Some("methods"),
        type_as_written: Some("mentioning"),
        confidence: Some(79),
        cited: &[("de Souza", 2018), ("Stępień", 2019)],
    },
    StatementFacts {
        text: "We found the opposite pattern to Achterberg et al. (2021): the cooling effect of trees was strongest at night in compact low-rise districts.",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("contrasting"),
        confidence: Some(73),
        cited: &[("Achterberg", 2021)],
    },
    StatementFacts {
        text: "Land surface temperature is only a proxy for the air temperature that residents experience (Novak & Halvorsen, 2017), and satellite overpass times (around 22:00 local time) miss the early-morning minimum.",
        section: Some("Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(85),
        cited: &[("Novak", 2017), ("Halvorsen", 2017)],
    },
];

const P08_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Isotope labelling showed that up to 15% of grass nitrogen can originate from a neighbouring clover via shared hyphae (Moreau & Kaplan, 2009), although estimates vary widely across soils (Varga et al., 2011).",
        section: Some("Background"),
        bucket: Some("background"),
        type_as_written: Some("supporting"),
        confidence: Some(87),
        cited: &[("Moreau", 2009), ("Kaplan", 2009), ("Varga", 2011)],
    },
    StatementFacts {
        text: "Direct transfer through hyphal networks has been questioned because root exudation followed by uptake gives the same isotope signal (Lowry, 2015; Lowry, 2018).",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("disputing"),
        confidence: Some(64),
        cited: &[("Lowry", 2015), ("Lowry", 2018)],
    },
    StatementFacts {
        text: "These results confirm that fungal networks redistribute nutrients in mixed swards (Moreau & Kaplan, 2009) and support using legume-grass mixtures to cut fertiliser inputs.",
        section: Some("Conclusions"),
        bucket: Some("conclusion"),
        type_as_written: Some("supporting"),
        confidence: Some(93),
        cited: &[("Moreau", 2009), ("Kaplan", 2009)],
    },
];

const P09_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Verbatim overlap between test items and pre-training data inflated accuracy by up to 14 points on reading-comprehension benchmarks (Kaplan et al., 2021; Iyer et al., 2022).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(95),
        cited: &[("Kaplan", 2021), ("Iyer", 2022)],
    },
    StatementFacts {
        text: "We flagged contamination with a 13-gram overlap test (Iyer et al., 2022) and with a perplexity gap between original and paraphrased items [7].",
        section: Some("Methods"),
        bucket: Some("methods"),
        type_as_written: Some("mentioning"),
        confidence: Some(91),
        cited: &[("Iyer", 2022)],
    },
    StatementFacts {
        text: "Models scored 9 points lower on freshly written items than on public test sets, in line with (Rinaldi, Takeda, Osei, Brennan, et al, 2020) and with the held-out results of Nakamura and Sandoval (2023).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(86),
        cited: &[("Rinaldi", 2020), ("Takeda", 2020), ("Osei", 2020), ("Brennan", 2020), ("Nakamura", 2023), ("Sandoval", 2023)],
    },
    StatementFacts {
        text: "N-gram overlap misses paraphrased leakage, so contamination rates are likely underestimated (Kaplan et al., 2021).",
        section: Some("Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(76),
        cited: &[("Kaplan", 2021)],
    },
];

const P10_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Pretrained transformers are reasonably calibrated in-domain [3, 4] but become overconfident out of domain [12], a pattern also reported for vision models (Whitfield et al., 2019a).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(90),
        cited: &[("Whitfield", 2019)],
    },
    StatementFacts {
        text: "Expected calibration error fell from 0.11 to 0.04 after temperature scaling on the in-domain split (see Table 2), but rose again under shift (Whitfield et al., 2019b; Pereira & Novak, 2020).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(88),
        cited: &[("Whitfield", 2019), ("Pereira", 2020), ("Novak", 2020)],
    },
    StatementFacts {
        text: "Unlike Whitfield et al. (2019a), we find that ensembling does not close the calibration gap for multiple-choice question answering.",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("contrasting"),
        confidence: Some(69),
        cited: &[("Whitfield", 2019)],
    },
    StatementFacts {
        text: "Label smoothing during fine-tuning [21] and Monte Carlo dropout [22, 23] are cheaper alternatives that we did not evaluate.",
        section: Some("Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(81),
        cited: &[],
    },
];

const P11_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Re-running the same fine-tuning recipe with 20 seeds moved models by up to six leaderboard positions (Halvorsen & Iyer, 2018; Sandoval et al., 2017).",
        section: Some("Background"),
        bucket: Some("background"),
        type_as_written: Some("supporting"),
        confidence: Some(92),
        cited: &[("Halvorsen", 2018), ("Iyer", 2018), ("Sandoval", 2017)],
    },
    StatementFacts {
        text: "Reporting the median and interquartile range over seeds is now recommended practice (e.g., Kowalczyk et al., 2020; Quist, 2021).",
        section: None,
        bucket: None,
        type_as_written: None,
        confidence: None,
        cited: &[("Kowalczyk", 2020), ("Quist", 2021)],
    },
    StatementFacts {
        text: "Seed variance was smaller for larger models in our evaluation, which partly contradicts the claim that scale alone destabilises rankings (Sandoval et al., 2017).",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("contradicting"),
        confidence: Some(67),
        cited: &[("Sandoval", 2017)],
    },
    StatementFacts {
        text: "We therefore averaged every score over five seeds, following Halvorsen and Iyer (2018).",
        section: Some("Methods"),
        bucket: Some("methods"),
        type_as_written: Some("mentioning"),
        confidence: Some(97),
        cited: &[("Halvorsen", 2018), ("Iyer", 2018)],
    },
];

const P12_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Pooled knockout libraries with four guides per gene give reproducible hit lists across replicates (Seidel & Moreau, 2014; Kimura et al., 2016).",
        section: Some("Background"),
        bucket: Some("background"),
        type_as_written: Some("mentioning"),
        confidence: Some(89),
        cited: &[("Seidel", 2014), ("Moreau", 2014), ("Kimura", 2016)],
    },
    StatementFacts {
        text: "Loss of NF1, MED12 and CUL3 conferred resistance in our screen as well, replicating the original hits (Castellanos et al., 2015), while two of the top-ranked genes from an independent library (Ferreira, Rautio, Abiodun, Lowry, et al, 2019) did not score above the false-discovery threshold in either cell line.",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(94),
        cited: &[("Castellanos", 2015), ("Ferreira", 2019), ("Rautio", 2019), ("Abiodun", 2019), ("Lowry", 2019)],
    },
    StatementFacts {
        text: "Guide depletion was computed with a robust rank aggregation model (Takeda & Varga, 2014) after normalising read counts to the plasmid library.",
        section: Some("Methods"),
        bucket: Some("methods"),
        type_as_written: Some("mentioning"),
        confidence: Some(99),
        cited: &[("Takeda", 2014), ("Varga", 2014)],
    },
    StatementFacts {
        text: "Screens in a single cell line cannot separate general drug-tolerance genes from lineage-specific ones, as noted before (Kimura et al., 2016).",
        section: Some("Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(75),
        cited: &[("Kimura", 2016)],
    },
];

const P13_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Cognitive behavioural therapy (CBT) remains the first-line psychological treatment for moderate depression in adolescents (Ferreira et al., 2012; D’Agostino & Lowry, 2010).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(96),
        cited: &[("Ferreira", 2012), ("D’Agostino", 2010), ("Lowry", 2010)],
    },
    StatementFacts {
        text: "At 12 weeks, group CBT reduced depressive symptoms more than usual care (n = 212), in line with an earlier school-based trial (O'Connor et al., 2017).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(87),
        cited: &[("O'Connor", 2017)],
    },
    StatementFacts {
        text: "Effects faded by the 12-month follow-up, which mirrors the loss of benefit seen in two previous trials (Brennan & Haddad, 2016; Okafor et al., 2019) and raises the question of booster sessions.",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("mentioning"),
        confidence: Some(83),
        cited: &[("Brennan", 2016), ("Haddad", 2016), ("Okafor", 2019)],
    },
    StatementFacts {
        text: "Lindqvist and Haddad (2017) showed that unblinded clinician ratings overstate improvement in adolescent trials by roughly a third, which applies to our secondary outcome as well.",
        section: Some("Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(78),
        cited: &[("Lindqvist", 2017), ("Haddad", 2017)],
    },
];

const P14_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Switching to a second SSRI plus psychotherapy doubled response rates compared with medication switch alone (Kaplan & Rinaldi, 2008).",
        section: Some("Background"),
        bucket: Some("background"),
        type_as_written: Some("supporting"),
        confidence: Some(91),
        cited: &[("Kaplan", 2008), ("Rinaldi", 2008)],
    },
    StatementFacts {
        text: "Self-harm events were rare and did not differ between arms (Moreau et al., 2013; Nakamura & Castellanos, 2012), which is reassuring given earlier warnings.",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("mentioning"),
        confidence: Some(72),
        cited: &[("Moreau", 2013), ("Nakamura", 2012), ("Castellanos", 2012)],
    },
];

const P15_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Supervised aerobic exercise three times a week produced moderate reductions in depressive symptoms in adults over 65 (Eklund & Ólafsdóttir, 2017; Bénard et al., 2018).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(93),
        cited: &[("Eklund", 2017), ("Ólafsdóttir", 2017), ("Bénard", 2018)],
    },
    StatementFacts {
        text: "Remission rates were similar in the exercise and stretching arms (31% vs 27%), which disputes the larger effects reported in earlier unblinded trials (Bénard et al., 2018).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("disputing"),
        confidence: Some(70),
        cited: &[("Bénard", 2018)],
    },
    StatementFacts {
        text: "Improvements in hippocampal volume after a year of walking (Takeda et al., 2013) offer one plausible mechanism, although hippocampal changes were not imaged here.",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("mentioning"),
        confidence: Some(77),
        cited: &[("Takeda", 2013)],
    },
    StatementFacts {
        text: "Older adults with comorbid arthritis were under-represented, limiting generalisability (Stępień & Novak, 2024).",
        section: Some("Strengths and Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(82),
        cited: &[("Stępień", 2024), ("Novak", 2024)],
    },
];

const H1_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Saturation base editing classified several hundred BRCA1 variants in a single experiment (Kimura & Seidel, 2020; Abiodun et al., 2021).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(92),
        cited: &[("Kimura", 2020), ("Seidel", 2020), ("Abiodun", 2021)],
    },
    StatementFacts {
        text: "Functional scores correlated with clinical classifications (r = 0.81), in agreement with the homology-directed repair assay of Bénard et al. (2019).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(89),
        cited: &[("Bénard", 2019)],
    },
    StatementFacts {
        text: "Editing windows wider than five nucleotides produce bystander edits that can mislabel a variant (Rautio et al., 2021; Castellanos, 2023), a caveat that applies here.",
        section: Some("Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(74),
        cited: &[("Rautio", 2021), ("Castellanos", 2023)],
    },
    StatementFacts {
        text: "Base-editing screens therefore complement, rather than replace, saturation genome editing (Varga & Kimura, 2018).",
        section: Some("Conclusion"),
        bucket: Some("conclusion"),
        type_as_written: Some("mentioning"),
        confidence: Some(84),
        cited: &[("Varga", 2018), ("Kimura", 2018)],
    },
];

const H2_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Persister cells that survive targeted therapy acquire a dependency on GPX4 (Åström & Nørgaard, 2015; Müller et al., 2017).",
        section: Some("Background"),
        bucket: Some("background"),
        type_as_written: Some("supporting"),
        confidence: Some(90),
        cited: &[("Åström", 2015), ("Nørgaard", 2015), ("Müller", 2017)],
    },
    StatementFacts {
        text: "Knockout of GPX4 killed persisters across four lineages (García et al., 2019), whereas parental cells were largely unaffected.",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(95),
        cited: &[("García", 2019)],
    },
    StatementFacts {
        text: "In our hands, GPX4 inhibition did not eliminate persisters grown in high-lipid medium, which contrasts with the uniform dependency reported by Åström and Nørgaard (2015).",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("contrasting"),
        confidence: Some(65),
        cited: &[("Åström", 2015), ("Nørgaard", 2015)],
    },
];

const H3_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Orchards within 500 m of forest remnants received twice as many wild bee visits (Pereira et al., 2009; Lowry & Sandoval, 2008).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("supporting"),
        confidence: Some(88),
        cited: &[("Pereira", 2009), ("Lowry", 2008), ("Sandoval", 2008)],
    },
    StatementFacts {
        text: "Bee richness declined with distance from the forest edge, as predicted by the landscape model of Novak et al. (2012).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(81),
        cited: &[("Novak", 2012)],
    },
    StatementFacts {
        text: "Honeybee hives placed in orchards may mask the loss of wild pollinators (de Souza & Varga, 2014), so fruit set alone is a poor indicator.",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("mentioning"),
        confidence: Some(76),
        cited: &[("de Souza", 2014), ("Varga", 2014)],
    },
];

const H4_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Verbatim overlap between test items and pre-training data inflated accuracy by up to 14 points on reading-comprehension benchmarks (Kaplan et al., 2021; Iyer et al., 2022).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(95),
        cited: &[("Kaplan", 2021), ("Iyer", 2022)],
    },
    StatementFacts {
        text: "We flagged contamination with a 13-gram overlap test (Iyer et al., 2022) and with a perplexity gap between original and paraphrased items [7].",
        section: Some("Methods"),
        bucket: Some("methods"),
        type_as_written: Some("mentioning"),
        confidence: Some(91),
        cited: &[("Iyer", 2022)],
    },
    StatementFacts {
        text: "Models scored 9 points lower on freshly written items than on public test sets, in line with (Rinaldi, Takeda, Osei, Brennan, et al, 2020) and with the held-out results of Nakamura and Sandoval (2023).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(86),
        cited: &[("Rinaldi", 2020), ("Takeda", 2020), ("Osei", 2020), ("Brennan", 2020), ("Nakamura", 2023), ("Sandoval", 2023)],
    },
    StatementFacts {
        text: "N-gram overlap misses paraphrased leakage, so contamination rates are likely underestimated (Kaplan et al., 2021).",
        section: Some("Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("mentioning"),
        confidence: Some(76),
        cited: &[("Kaplan", 2021)],
    },
];

const H5_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Summer 2022 was the hottest on record in Europe, with tens of thousands of excess deaths attributed to heat (Van Dijk & Pereira, 2023).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(97),
        cited: &[("Van Dijk", 2023), ("Pereira", 2023)],
    },
    StatementFacts {
        text: "Excess mortality was highest among women over 80 (Stępień et al., 2024), consistent with earlier heatwaves (Haddad, 2008).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(90),
        cited: &[("Stępień", 2024), ("Haddad", 2008)],
    },
    StatementFacts {
        text: "Urban green space was associated with lower heat mortality in some cities but not others (Achterberg et al., 2021; de Souza et al., 2018), an inconsistency that our model cannot resolve.",
        section: Some("Strengths and Limitations"),
        bucket: Some("limitations"),
        type_as_written: Some("contrasting"),
        confidence: Some(63),
        cited: &[("Achterberg", 2021), ("de Souza", 2018)],
    },
];

const H6_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "Patients with schizophrenia show a marked reduction of sleep spindles that correlates with impaired overnight motor learning (Okafor et al., 2012; Marsh & Whitfield, 2013).",
        section: Some("Introduction"),
        bucket: Some("introduction"),
        type_as_written: Some("mentioning"),
        confidence: Some(94),
        cited: &[("Okafor", 2012), ("Marsh", 2013), ("Whitfield", 2013)],
    },
    StatementFacts {
        text: "The spindle deficit was already present in first-episode patients (Kowalczyk et al., 2016), arguing against a medication effect.",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(85),
        cited: &[("Kowalczyk", 2016)],
    },
    StatementFacts {
        text: "Thalamic reticular dysfunction remains the most parsimonious explanation (see Marsh, 2010; e.g., Takeda & Iyer, 2015), although no study has yet linked it directly to motor learning.",
        section: Some("Conclusions"),
        bucket: Some("conclusion"),
        type_as_written: Some("mentioning"),
        confidence: Some(78),
        cited: &[("Marsh", 2010), ("Takeda", 2015), ("Iyer", 2015)],
    },
];

const X1_STATEMENTS: &[StatementFacts] = &[
    StatementFacts {
        text: "A conflicted copy from the sync client repeats a spindle result zzhiddensync (Okafor et al., 2020).",
        section: Some("Results"),
        bucket: Some("results"),
        type_as_written: Some("supporting"),
        confidence: Some(90),
        cited: &[("Okafor", 2020)],
    },
    StatementFacts {
        text: "Hidden folders like this one hold stale duplicates zzhiddensync (Åström et al., 2018).",
        section: Some("Discussion"),
        bucket: Some("discussion"),
        type_as_written: Some("mentioning"),
        confidence: Some(80),
        cited: &[("Åström", 2018)],
    },
];

/// The pages saved as HTML, which `browser/` holds again in other forms.
const H1: PageFacts = PageFacts {
    id: "H1",
    path: "html/brca1-base-editing-screen-2022.html",
    doi_as_written: Some("10.5555/gen.2022.0991"),
    year: Some(2022),
    title: "Base-editing screens map variants of uncertain significance in BRCA1",
    abstract_text: "Most missense variants in BRCA1 are of uncertain clinical significance. We used cytosine and adenine base editors to introduce 1,300 variants into the endogenous locus of haploid cells and measured their effect on cell fitness. Functional scores separated known pathogenic from benign variants with 96% accuracy and reclassified 120 varia",
    tally: [3, 11, 1],
    cited_by: 12,
    citation_statements: 15,
    references: 57,
    statements: H1_STATEMENTS,
    cut_off: None,
};

const H2: PageFacts = PageFacts {
    id: "H2",
    path: "html/gpx4-persister-cells-2016.htm",
    doi_as_written: Some("10.5555/gen.2016.0410"),
    year: Some(2016),
    title: "GPX4 dependency marks drug-tolerant persister cells",
    abstract_text: "Drug-tolerant persister cells survive targeted therapy and seed relapse. Across melanoma, lung and breast cancer models, persister cells became dependent on the lipid peroxidase GPX4 and died by ferroptosis when it was inhibited, whereas parental cells were unaffected.",
    tally: [13, 24, 2],
    cited_by: 39,
    citation_statements: 40,
    references: 68,
    statements: H2_STATEMENTS,
    cut_off: None,
};

const H3: PageFacts = PageFacts {
    id: "H3",
    path: "html/orchard-pollinators-forest-fragments-2010.html",
    doi_as_written: Some("10.5555/eco.2010.0157"),
    year: Some(2010),
    title: "Forest fragmentation reduces wild bee diversity in adjacent orchards",
    abstract_text: "Wild bees contribute substantially to fruit set in apple orchards. Surveying 32 orchards along a gradient of distance to forest remnants, we found that wild bee richness and visitation halved within the first kilometre from the forest edge, while honeybee visitation was unaffected.",
    tally: [15, 27, 2],
    cited_by: 44,
    citation_statements: 47,
    references: 51,
    statements: H3_STATEMENTS,
    cut_off: None,
};

const H4: PageFacts = PageFacts {
    id: "H4",
    path: "html/benchmark-contamination-llm-2023.html",
    doi_as_written: Some("10.5555/ml.2023.0118"),
    year: Some(2023),
    title: "Detecting benchmark contamination in large language model evaluation",
    abstract_text: "Public benchmarks leak into the pre-training corpora of large language models, inflating reported scores. We compare three contamination detectors on eight benchmarks and re-evaluate twelve open models on freshly written test items. Scores on new items were on average 9 points lower, and n-gram overlap detectors missed most paraphrased leakage.",
    tally: [6, 15, 1],
    cited_by: 19,
    citation_statements: 22,
    references: 64,
    statements: H4_STATEMENTS,
    cut_off: None,
};

const H5: PageFacts = PageFacts {
    id: "H5",
    path: "html/heat-mortality-european-cities-2024.htm",
    doi_as_written: Some("10.5555/urb.2024.0021"),
    year: Some(2024),
    title: "Heat-related mortality in European cities during the 2022 summer",
    abstract_text: "The summer of 2022 brought record temperatures to much of Europe. Using daily mortality data from 96 cities and city-specific temperature-mortality curves, we estimate heat-attributable deaths by age and sex and examine whether urban green space modified the risk.",
    tally: [2, 6, 1],
    cited_by: 8,
    citation_statements: 9,
    references: 83,
    statements: H5_STATEMENTS,
    cut_off: None,
};

const H6: PageFacts = PageFacts {
    id: "H6",
    path: "html/spindle-deficits-schizophrenia-2014.html",
    doi_as_written: Some("10.5555/slp.2014.0520"),
    year: Some(2014),
    title: "Spindle deficits in schizophrenia and their relation to overnight motor learning",
    abstract_text: "Patients with schizophrenia often fail to improve on motor tasks after a night of sleep. In 30 medicated patients and 30 controls we found a 40% reduction in spindle density, which correlated with the lack of overnight improvement on a finger-tapping task.",
    tally: [16, 30, 3],
    cited_by: 46,
    citation_statements: 49,
    references: 60,
    statements: H6_STATEMENTS,
    cut_off: None,
};

/// Every report page the corpus holds outside hidden folders, the
/// byte-identical copy under `dupes/` included.
pub(crate) static PAGES: &[PageFacts] = &[
    PageFacts {
        id: "P01",
        path: "sleep/spindle-density-word-pairs-2019.txt",
        doi_as_written: Some("10.5555/SLP.2019.0412"),
        year: Some(2019),
        title: "Sleep spindle density predicts overnight retention of word-pair associations in young adults",
        abstract_text: "Background: Sleep after learning benefits the retention of newly acquired associations, but which features of sleep carry this benefit is debated. We recorded high-density EEG during a 90-minute afternoon nap in 64 healthy adults who had learned 120 word pairs. Method: Fast and slow spindles were detected automatically and related to the change in cued recall between the evening and morning tests. Results: Fast spindle density over centro-parietal electrodes predicted overnight retention, whereas slow spindles and time in slow-wave sleep did n",
        tally: [14, 31, 3],
        cited_by: 42,
        citation_statements: 48,
        references: 71,
        statements: P01_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P01-copy",
        path: "dupes/spindle-density-word-pairs-2019 (1).txt",
        doi_as_written: Some("10.5555/SLP.2019.0412"),
        year: Some(2019),
        title: "Sleep spindle density predicts overnight retention of word-pair associations in young adults",
        abstract_text: "Background: Sleep after learning benefits the retention of newly acquired associations, but which features of sleep carry this benefit is debated. We recorded high-density EEG during a 90-minute afternoon nap in 64 healthy adults who had learned 120 word pairs. Method: Fast and slow spindles were detected automatically and related to the change in cued recall between the evening and morning tests. Results: Fast spindle density over centro-parietal electrodes predicted overnight retention, whereas slow spindles and time in slow-wave sleep did n",
        tally: [14, 31, 3],
        cited_by: 42,
        citation_statements: 48,
        references: 71,
        statements: P01_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P02",
        path: "sleep/targeted-memory-reactivation-2016.txt",
        doi_as_written: Some("10.5555/slp.2016.0077"),
        year: Some(2016),
        title: "Auditory cueing during slow-wave sleep strengthens spatial memories",
        abstract_text: "Sounds associated with learning can be replayed during sleep to bias which memories are consolidated. Here 48 participants learned the locations of 50 objects, each paired with a characteristic sound. Half of the sounds were replayed during slow-wave sleep in a closed-loop procedure timed to the slow oscillation. Cued locations were recalled more precisely the next morning than uncued ones, and the benefit correlated with the number of spindles that followed each cue.",
        tally: [9, 17, 2],
        cited_by: 23,
        citation_statements: 28,
        references: 54,
        statements: P02_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P03",
        path: "sleep/slow-oscillation-aging-2013.txt",
        doi_as_written: Some("10.5555/slp.2013.2290"),
        year: Some(2013),
        title: "Age-related reduction of slow oscillations and its cost for declarative memory",
        abstract_text: "Slow oscillations decline steeply across adulthood. We compared 36 younger and 36 older adults on overnight retention of a verbal learning task and related performance to slow-oscillation amplitude and density measured with polysomnography. Older adults retained fewer items, and the age difference in retention was partly accounted for by frontal slow-oscillation amplitude. The results identify slow oscillations as one route by which ageing affects me",
        tally: [21, 40, 6],
        cited_by: 61,
        citation_statements: 67,
        references: 88,
        statements: P03_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P04",
        path: "sleep/sleep-restriction-adolescent-vocabulary-2021.txt",
        doi_as_written: Some("10.5555/slp.2021.0930"),
        year: Some(2021),
        title: "Five nights of sleep restriction impair vocabulary learning in adolescents",
        abstract_text: "Many adolescents sleep far less than recommended on school nights. In a randomised crossover study, 58 students aged 15 to 17 spent five nights with either 6.5 or 9 hours in bed and learned novel vocabulary each afternoon. Restriction reduced the number of words recalled a day later by 18%, and two recovery nights did not restore learning. Effects were strongest in students with the latest chronotype.",
        tally: [5, 12, 1],
        cited_by: 16,
        citation_statements: 18,
        references: 47,
        statements: P04_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P05",
        path: "ecology/soil-microbiome-drought-legacy-2018.txt",
        doi_as_written: Some("10.5555/eco.2018.5561"),
        year: Some(2018),
        title: "Drought legacy effects on soil bacterial communities in temperate grasslands",
        abstract_text: "Soil microbial communities may retain a memory of past drought that shapes their response to future dry spells. We imposed two summers of rainfall exclusion on 24 grassland plots and followed bacterial composition with 16S amplicon sequencing for three years. Drought-exposed plots remained enriched in Actinobacteria two seasons after the treatment ended and respired less carbon after rewetting.",
        tally: [12, 25, 4],
        cited_by: 37,
        citation_statements: 41,
        references: 66,
        statements: P05_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P06",
        path: "ecology/coral-bleaching-marine-heatwaves-2017.txt",
        doi_as_written: Some("10.5555/MAR.2017.0340"),
        year: Some(2017),
        title: "Marine heatwaves and the recurrence of mass coral bleaching on inshore reefs",
        abstract_text: "Mass bleaching events are becoming more frequent as marine heatwaves intensify. Using aerial surveys of 1,100 reefs over three events, we show that the interval between severe bleaching episodes has shortened to less than six years, too short for full recovery of coral assemblages. Turbid inshore reefs bleached less severely, but mortality after bleaching was similar across reef types.",
        tally: [30, 58, 7],
        cited_by: 88,
        citation_statements: 95,
        references: 102,
        statements: P06_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P07",
        path: "ecology/urban-heat-island-street-trees-2020.txt",
        doi_as_written: Some("10.5555/urb.2020.1187"),
        year: Some(2020),
        title: "Street-tree canopy cover and night-time land surface temperature in 40 European cities",
        abstract_text: "Urban trees cool cities by shading and evapotranspiration, yet their effect at night is less well understood. We combined canopy maps with Landsat and ECOSTRESS land surface temperature for 40 European cities. Canopy cover reduced daytime surface temperature consistently, while night-time cooling depended on building density and was strongest in compact low-rise districts.",
        tally: [8, 22, 3],
        cited_by: 29,
        citation_statements: 33,
        references: 75,
        statements: P07_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P08",
        path: "ecology/mycorrhizal-nitrogen-transfer.txt",
        doi_as_written: Some("10.5555/eco.2011.0203"),
        year: None,
        title: "Common mycorrhizal networks move nitrogen from legumes to neighbouring grasses",
        abstract_text: "Arbuscular mycorrhizal fungi can connect the roots of different plant species. Using 15N labelling of clover in mesocosms with and without hyphal access, we estimated that 9 to 15% of the nitrogen in neighbouring ryegrass was derived from the legume when hyphal connections were intact. Transfer was negligible when a 35 micrometre mesh blocked hyphae.",
        tally: [10, 19, 5],
        cited_by: 31,
        citation_statements: 34,
        references: 58,
        statements: P08_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P09",
        path: "ml/benchmark-contamination-llm-2023.txt",
        doi_as_written: Some("10.5555/ML.2023.0118"),
        year: Some(2023),
        title: "Detecting benchmark contamination in large language model evaluation",
        abstract_text: "Public benchmarks leak into the pre-training corpora of large language models, inflating reported scores. We compare three contamination detectors on eight benchmarks and re-evaluate twelve open models on freshly written test items. Scores on new items were on average 9 points lower, and n-gram overlap detectors missed most paraphrased leakage.",
        tally: [6, 15, 1],
        cited_by: 19,
        citation_statements: 22,
        references: 64,
        statements: P09_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P10",
        path: "ml/calibration-pretrained-language-models-2021.txt",
        doi_as_written: Some("10.5555/ml.2021.0456"),
        year: Some(2021),
        title: "Temperature scaling is not enough: calibration of pretrained language models under distribution shift",
        abstract_text: "A well-calibrated classifier's confidence matches its accuracy. We measure the calibration of six pretrained transformers fine-tuned for natural language inference and question answering, in domain and under three kinds of distribution shift. Temperature scaling fixes in-domain miscalibration but not out-of-domain overconfidence, and ensembling helps less than previously reported.",
        tally: [7, 20, 4],
        cited_by: 27,
        citation_statements: 31,
        references: 59,
        statements: P10_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P11",
        path: "ml/leaderboard-seed-variance-2018.txt",
        doi_as_written: Some("10.5555/ml.2018.0712"),
        year: Some(2018),
        title: "Random seeds and the reproducibility of leaderboard rankings",
        abstract_text: "Leaderboards rank models by single runs, but fine-tuning outcomes vary with the random seed. We re-ran 14 published fine-tuning recipes with 20 seeds each on four benchmarks. Rankings changed for 9 of 14 recipes, and differences smaller than 1.5 points were rarely stable. We recommend reporting medians over at least five seeds.",
        tally: [11, 26, 2],
        cited_by: 34,
        citation_statements: 39,
        references: 41,
        statements: P11_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P12",
        path: "genomics/crispr-knockout-screen-braf-resistance-2015.txt",
        doi_as_written: Some("10.5555/gen.2015.0088"),
        year: Some(2015),
        title: "Genome-wide CRISPR knockout screen identifies regulators of BRAF inhibitor resistance in melanoma",
        abstract_text: "Resistance to BRAF inhibitors limits the benefit of targeted therapy in melanoma. We performed a genome-wide CRISPR knockout screen with 76,000 guides in two melanoma cell lines treated with vemurafenib. Loss of NF1, MED12 and CUL3 conferred resistance in both lines, and we validated four previously unreported hits with individual knockouts.",
        tally: [25, 44, 3],
        cited_by: 70,
        citation_statements: 72,
        references: 93,
        statements: P12_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P13",
        path: "clinical/group-cbt-adolescent-depression-2015.txt",
        doi_as_written: None,
        year: Some(2015),
        title: "Group cognitive behavioural therapy versus usual care for adolescent depression: a pragmatic trial",
        abstract_text: "We randomised 212 adolescents with moderate depression in 14 community clinics to 12 weekly sessions of group cognitive behavioural therapy or usual care. Group therapy reduced self-reported depressive symptoms at 12 weeks, but differences had disappeared by the one-year follow-up. Booster sessions may be needed to maintain gains.",
        tally: [9, 21, 2],
        cited_by: 28,
        citation_statements: 32,
        references: 49,
        statements: P13_STATEMENTS,
        cut_off: None,
    },
    PageFacts {
        id: "P14",
        path: "clinical/fluoxetine-psychotherapy-resistant-depression-2012.txt",
        doi_as_written: Some("10.5555/cli.2012.0615"),
        year: Some(2012),
        title: "Fluoxetine combined with psychotherapy in adolescents with treatment-resistant depression",
        abstract_text: "Adolescents whose depression does not respond to a first SSRI have few evidence-based options. In this multisite trial, 334 adolescents were randomised to a medication switch with or without added psychotherapy. Combined treatment produced higher response rates at 12 weeks (55% vs 41%), with no increase in serious adverse events.",
        tally: [18, 35, 5],
        cited_by: 52,
        citation_statements: 58,
        references: 77,
        statements: P14_STATEMENTS,
        cut_off: Some("Although combined treatment was superior at 12 weeks (Kaplan & Rinaldi, 2008), the advantage over medication alone was no longer significant at 24 weeks in a later trial (Sandov"),
    },
    PageFacts {
        id: "P15",
        path: "clinical/aerobic-exercise-late-life-depression-2019.txt",
        doi_as_written: Some("10.5555/cli.2019.0333"),
        year: Some(2019),
        title: "Supervised aerobic exercise as an adjunct treatment for late-life depression",
        abstract_text: "Exercise is often recommended for depression in older adults, but blinded trials are few. We randomised 180 adults aged 65 or older with major depression to 16 weeks of supervised aerobic exercise or stretching, in addition to usual care. Remission rates did not differ significantly between arms, although the exercise group improved more in walking speed.",
        tally: [4, 16, 3],
        cited_by: 21,
        citation_statements: 23,
        references: 62,
        statements: P15_STATEMENTS,
        cut_off: None,
    },
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    // The same pages as a real browser saved them (tests/fixtures/browser/make.py):
    // "Webpage, Complete", "Save as PDF", "Webpage, Single File", the copied
    // text, a web archive. Everything but the path is the HTML page's.
    PageFacts {
        id: "B1",
        path: "browser/benchmark-contamination-llm-2023.html",
        ..H4
    },
    PageFacts {
        id: "B2",
        path: "browser/brca1-base-editing-screen-2022.pdf",
        ..H1
    },
    PageFacts {
        id: "B3",
        path: "browser/orchard-pollinators-forest-fragments-2010.mhtml",
        ..H3
    },
    PageFacts {
        id: "B4",
        path: "browser/heat-mortality-european-cities-2024.txt",
        ..H5
    },
    PageFacts {
        id: "B5",
        path: "browser/spindle-deficits-schizophrenia-2014.webarchive",
        ..H6
    },
];

/// The page inside the hidden `.sync/` folder, which must never be indexed.
pub(crate) static HIDDEN: PageFacts = PageFacts {
    id: "X1",
    path: ".sync/conflicted-copy-spindle-page.txt",
    doi_as_written: Some("10.5555/hid.2020.0001"),
    year: Some(2020),
    title: "Hidden sync copy that must never be indexed",
    abstract_text:
        "This page sits in a hidden folder left behind by a file-sync client. zzhiddensync",
    tally: [1, 1, 0],
    cited_by: 2,
    citation_statements: 2,
    references: 10,
    statements: X1_STATEMENTS,
    cut_off: None,
};

/// The files of saved pages' asset folders (`NAME_files/` beside `NAME.html`),
/// which are neither read nor warned about.
pub(crate) const ASSETS: &[&str] = &[
    "browser/benchmark-contamination-llm-2023_files/8f1c2e0a.css",
    "browser/benchmark-contamination-llm-2023_files/main-3b7e.js",
    "browser/benchmark-contamination-llm-2023_files/saved_resource.html",
];

/// The files below `sample-corpus/` that are not report pages.
pub(crate) const JUNK: &[&str] = &[
    "README.md",
    "junk/draft.html",
    "junk/empty.txt",
    "junk/figure.png",
    "junk/garbage.txt",
    "junk/notes.txt",
    "junk/paper.pdf",
];
