#!/usr/bin/env python3
"""Writes the Zeppelin notes (../*.zpln) from the paragraph texts below: run it after editing them.

Every note follows the same rules (notebooks-zeppelin/README.md): forms for every location and choice,
a first %spark paragraph that stops with one sentence when a form is empty or points at nothing, views
named after the note's id and its form values (so copies and other notes never show each other's data
in Zeppelin's shared interpreter), and no result over Zeppelin's 1,000-row limit.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
DATE = "2026-11-30 10:00:00.000"

# Shared Scala: a view name from the note id and form values, backtick-quoted (odd characters allowed),
# a path check that names the CLI command, and a PNG shown inline. standalone() puts a copy, under the note's
# prefix, into each of the note's %spark paragraphs, inside the paragraph's block (nothing global).
HELPERS = r'''
def {p}Path(dir: String, name: String): org.apache.hadoop.fs.Path = new org.apache.hadoop.fs.Path(dir.stripSuffix("/") + "/" + name)
def {p}Exists(path: org.apache.hadoop.fs.Path): Boolean = path.getFileSystem(spark.sparkContext.hadoopConfiguration).exists(path)
def {p}View(parts: String*): String = "`" + (Seq("spark_vae", z.getInterpreterContext.getNoteId) ++ parts).mkString(" ").replace("`", "``") + "`"
def {p}Png(path: org.apache.hadoop.fs.Path, what: String): String = {{
  if (!{p}Exists(path)) s"<p>No $what at $path.</p>"
  else {{
    val in = path.getFileSystem(spark.sparkContext.hadoopConfiguration).open(path)
    val bytes = try org.apache.commons.io.IOUtils.toByteArray(in) finally in.close()
    val b64 = java.util.Base64.getEncoder.encodeToString(bytes)
    // Zeppelin cuts a paragraph's output at zeppelin.interpreter.output.limit (100 KB by default).
    if (b64.length > 90000) s"<p>$what is ${{bytes.length / 1024}} KB, too large for Zeppelin's output limit: open $path.</p>"
    else s"""<p>$what ($path)</p><img src="data:image/png;base64,$b64"/>"""
  }}
}}
'''


def graph(mode, keys=(), values=(), groups=(), setting=None):
    def cols(names, start=0):
        return [{"name": n, "index": float(i), "aggr": "sum"} for i, n in names]
    return {"graph": {"mode": mode, "height": 320.0, "optionOpen": False, "setting": setting or {},
                      "commonSetting": {}, "keys": cols(keys), "groups": cols(groups), "values": cols(values)},
            "helium": {}}


def line(keys, values, groups=()):
    return graph("lineChart", keys, values, groups, {"lineChart": {"rotate": {"degree": "-45"}, "xLabelStatus": "default", "forceY": False}})


def bars(keys, values, groups=(), stacked=True):
    return graph("multiBarChart", keys, values, groups, {"multiBarChart": {"rotate": {"degree": "-45"}, "xLabelStatus": "default",
                                                                           "stacked": stacked}})


def scatter(x, y, group=None, size=None):
    s = {"xAxis": {"name": x[1], "index": float(x[0]), "aggr": "sum"}, "yAxis": {"name": y[1], "index": float(y[0]), "aggr": "sum"}}
    if group:
        s["group"] = {"name": group[1], "index": float(group[0]), "aggr": "sum"}
    if size:
        s["size"] = {"name": size[1], "index": float(size[0]), "aggr": "sum"}
    g = graph("scatterChart", (), (), (), {"scatterChart": s})
    return g


def table():
    return graph("table")


def paragraph(note_key, n, key, title, text, result=None):
    lang = "markdown" if text.startswith("%md") else "sql" if text.startswith("%spark.sql") else "scala"
    pid = "paragraph_17000000%02d%03d_%s_%s" % (note_key, n, "note", key)
    config = {"editorSetting": {"language": lang, "editOnDblClick": lang == "markdown", "completionSupport": lang != "markdown",
                                "completionKey": "TAB"},
              "colWidth": 12.0, "editorMode": "ace/mode/" + lang, "fontSize": 9.0, "title": True,
              "results": {"0": result} if result else {}, "enabled": True}
    if lang == "markdown":
        config["editorHide"] = True
        config["tableHide"] = False
    return {"title": title, "text": text, "user": "anonymous", "dateUpdated": DATE, "progress": 0, "config": config,
            "settings": {"params": {}, "forms": {}}, "apps": [], "runtimeInfos": {}, "progressUpdateIntervalMs": 500,
            "jobName": pid, "id": pid, "dateCreated": DATE, "status": "READY"}


SETUP_COMMENT = ("// The note's setup (forms, path checks, views), repeated in each paragraph so that it runs on its own (after\n"
                 "// an interpreter restart too) and defines nothing outside it in the shared interpreter; the block prints\n"
                 "// no REPL echo. Generated: edit notebooks-zeppelin/src/make_notes.py.\n")


def indent(text, by):
    return "".join((" " * by + line if line.strip() else line) for line in text.splitlines(True))


def standalone(paragraphs):
    """Makes every %spark paragraph from the "settings" one on run alone: one block holding the paragraph's body
    (an inner block, so it may call the defs below it) and then the note's setup (the "settings" paragraph's
    text up to its closing println). Found in a real Zeppelin 0.12 server: definitions made by a note's first
    paragraph are gone after an interpreter restart, so a chart paragraph run on its own failed to compile."""
    keys = [p[0] for p in paragraphs]
    if "settings" not in keys:
        return paragraphs
    text = paragraphs[keys.index("settings")][2]
    assert text.startswith("%spark\n")
    setup, last = text[len("%spark\n"):].rsplit("\nprintln(", 1)
    setup = "\n".join(line for line in setup.splitlines() if line.strip())
    out = []
    for i, p in enumerate(paragraphs):
        key, title, text = p[0], p[1], p[2]
        if i >= keys.index("settings") and text.startswith("%spark\n"):
            body = "println(" + last if key == "settings" else text[len("%spark\n"):]
            text = "%spark\n{\n  {\n" + indent(body, 4) + "  }\n" + indent(SETUP_COMMENT + setup + "\n", 2) + "}\n"
        out.append((key, title, text) + tuple(p[3:]))
    return out


def note(file, name, note_id, key, paragraphs):
    ps = [paragraph(key, i + 1, *p) for i, p in enumerate(standalone(paragraphs))]
    doc = {"paragraphs": ps, "name": name, "id": note_id, "defaultInterpreterGroup": "spark", "version": "0.10.1",
           "noteParams": {}, "noteForms": {}, "angularObjects": {}, "config": {"isZeppelinNotebookCronEnable": False}, "info": {}}
    with open(os.path.join(OUT, file), "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")


LIMIT_MD = ("Zeppelin shows at most 1,000 rows of a result (`zeppelin.spark.maxResult`); every result in this note "
            "stays under that.")
ISOLATION_MD = ("The note's temporary views are named after its id and its form values "
                "(`` `spark_vae <note id> ...` ``), so copies of it and other notes can be open at once, even in "
                "Zeppelin's default *shared* Spark interpreter, without showing each other's data.")

# ---------------------------------------------------------------- training curves
p = "sparkVaeCurves"
note("training-curves.zpln", "spark-vae/Training curves", "2SPARKVAECURVES", 1, [
    ("intro", "Training curves of one model", "%md\n"
     "### Training curves of one model\n"
     "The train and test −ELBO (nats per image, lower is better) after every epoch of one `train` run, the test −ELBO split "
     "into its reconstruction term −log p(x|z) and its KL term, and the time per epoch.\n\n"
     "**Data:** `submit/spark-vae train --model DIR/NAME.zip` writes `DIR/NAME.metrics.parquet` after every epoch "
     "(so a running job can be watched here).\n\n"
     "**Fill in the forms** that appear above the paragraphs after the first run: **runDir** = `DIR` as an absolute path or a "
     "Hadoop URI (`file:/…`, `hdfs://…`; a relative path would resolve against Zeppelin's working directory), **model** = "
     "`NAME` (default `model`), optionally **reportDir** = the `--out` folder of `submit/spark-vae report` for its sample "
     "images. Then *Run all*.\n\n" + LIMIT_MD + " " + ISOLATION_MD),
    ("settings", "Where the run is (forms)", "%spark\n"
     "// The note's forms. Every paragraph reads its data through " + p + "(), which re-reads the forms, so the\n"
     "// note never uses another note's values or views.\n" + HELPERS.format(p=p) +
     "def " + p + "(): String = {\n"
     "  val runDir = z.noteTextbox(\"runDir\", \"\").toString.trim\n"
     "  val model = z.noteTextbox(\"model\", \"model\").toString.trim\n"
     "  if (runDir.isEmpty || model.isEmpty) throw new IllegalArgumentException(\"Fill in the forms runDir (the folder that \"\n"
     "    + \"`train --model DIR/NAME.zip` wrote to, as an absolute path or a Hadoop URI) and model (NAME), then run the note again.\")\n"
     "  val path = " + p + "Path(runDir, model + \".metrics.parquet\")\n"
     "  if (!" + p + "Exists(path)) throw new IllegalArgumentException(s\"no $model.metrics.parquet under $runDir: run \"\n"
     "    + s\"`submit/spark-vae train --model ${runDir.stripSuffix(\"/\")}/$model.zip` first\")\n"
     "  val view = " + p + "View(\"curves\", runDir, model)\n"
     "  spark.read.parquet(path.toString).createOrReplaceTempView(view)\n"
     "  view\n"
     "}\n"
     "println(s\"${spark.table(" + p + "()).count()} epoch(s) in view ${" + p + "()}\")\n"),
    ("md_elbo", "How to read the curves", "%md\n"
     "**−ELBO per epoch.** Both curves should fall and flatten. Test above train and rising while train falls is "
     "overfitting; the two close together means the model could use more capacity or epochs. The exercise's model "
     "(M = 10, 10 epochs) reaches a test −ELBO of about 88–90 nats on binarised MNIST."),
    ("elbo", "Train and test -ELBO per epoch (nats per image)", "%spark\n"
     "z.show(spark.sql(s\"SELECT epoch, train_neg_elbo, test_neg_elbo FROM ${" + p + "()} ORDER BY epoch\"))\n",
     line([(0, "epoch")], [(1, "train_neg_elbo"), (2, "test_neg_elbo")])),
    ("md_terms", "Reconstruction against KL", "%md\n"
     "**−ELBO = reconstruction + KL.** Reconstruction is how many nats the decoder needs to describe an image given its "
     "code; KL is how many nats the code itself carries beyond the prior. A KL near 0 means posterior collapse (the "
     "codes say nothing); a larger latent space usually trades reconstruction for KL."),
    ("terms", "Test -ELBO = reconstruction + KL (nats per image)", "%spark\n"
     "z.show(spark.sql(s\"SELECT epoch, test_recon, test_kl FROM ${" + p + "()} WHERE test_neg_elbo IS NOT NULL ORDER BY epoch\"))\n",
     bars([(0, "epoch")], [(1, "test_recon"), (2, "test_kl")])),
    ("speed", "Time per epoch", "%spark\n"
     "z.show(spark.sql(s\"SELECT epoch, round(seconds, 1) AS seconds, round(samples_per_second) AS samples_per_second \"\n"
     "  + s\"FROM ${" + p + "()} ORDER BY epoch\"))\n", table()),
    ("images", "Samples and reconstructions (from report)", "%spark\n"
     "// Pictures no chart replaces: the `report` job's samples x ~ p(x|z), z ~ p(z), and reconstructions of test images.\n"
     "{\n"
     "  " + p + "()\n"
     "  val reportDir = z.noteTextbox(\"reportDir\", \"\").toString.trim\n"
     "  if (reportDir.isEmpty) println(\"%html <p>Fill in the form reportDir with the --out folder of <code>submit/spark-vae report \"\n"
     "    + \"--model DIR/NAME.zip --out REPORT</code> to see its samples and reconstructions here.</p>\")\n"
     "  else println(\"%html \" + Seq(\"samples.png\" -> \"samples\", \"reconstructions.png\" -> \"reconstructions (top: data, bottom: model)\")\n"
     "    .map { case (f, what) => " + p + "Png(" + p + "Path(reportDir, f), what) }.mkString)\n"
     "}\n"),
])

# ---------------------------------------------------------------- latent PCA
p = "sparkVaeLatents"
note("latent-pca.zpln", "spark-vae/Latent space (PCA)", "2SPARKVAELATENT", 2, [
    ("intro", "The aggregate posterior", "%md\n"
     "### The aggregate posterior, coloured by digit\n"
     "Every test image's posterior mean μ(x), projected onto its first two principal components, coloured by its digit.\n\n"
     "**Data:** `submit/spark-vae project --model DIR/NAME.zip --out PROJ` writes `PROJ/latents.parquet` (or `report`, under "
     "`REPORT/projection/`).\n\n"
     "**Fill in the form** **projectionDir** = `PROJ` (absolute path or Hadoop URI), then *Run all*.\n\n"
     "Zeppelin shows at most 1,000 rows of a result (`zeppelin.spark.maxResult`), so the scatter shows an exact "
     "stratified sample: 100 images of each digit, picked by a seeded hash (change **seed** for another sample); the "
     "density paragraph counts all 10,000 images on a 30 × 30 grid (at most 900 cells). " + ISOLATION_MD),
    ("settings", "Where the projection is (forms)", "%spark\n"
     "// The note's forms. Every paragraph reads its data through " + p + "(), which re-reads them.\n" + HELPERS.format(p=p) +
     "def " + p + "(): String = {\n"
     "  val dir = z.noteTextbox(\"projectionDir\", \"\").toString.trim\n"
     "  if (dir.isEmpty) throw new IllegalArgumentException(\"Fill in the form projectionDir (the --out folder of \"\n"
     "    + \"`submit/spark-vae project`, as an absolute path or a Hadoop URI), then run the note again.\")\n"
     "  val path = " + p + "Path(dir, \"latents.parquet\")\n"
     "  if (!" + p + "Exists(path)) throw new IllegalArgumentException(s\"no latents.parquet under $dir: run \"\n"
     "    + s\"`submit/spark-vae project --model DIR/NAME.zip --out $dir` first\")\n"
     "  val view = " + p + "View(\"latents\", dir)\n"
     "  spark.read.parquet(path.toString).createOrReplaceTempView(view)\n"
     "  view\n"
     "}\n"
     "println(s\"${spark.table(" + p + "()).count()} test images in view ${" + p + "()}\")\n"),
    ("md_scatter", "How to read the scatter", "%md\n"
     "**PC1 against PC2.** A good model puts images of one digit close together and different digits apart: ten "
     "compact, separated clouds. Overlapping clouds of similar digits (4/9, 3/5/8) are normal; one shapeless blob means "
     "the codes carry little about the digit (small KL). With M = 2 the PCA is only a rotation of the latent space."),
    ("scatter", "PC1 against PC2: 100 test images per digit", "%spark\n"
     "{\n"
     "  val seed = z.textbox(\"seed\", \"42\").toString.trim\n"
     "  require(seed.matches(\"-?[0-9]+\"), s\"seed must be an integer, got '$seed'\")\n"
     "  z.show(spark.sql(s\"\"\"SELECT pc1, pc2, CAST(label AS STRING) AS digit FROM (\n"
     "    SELECT pc1, pc2, label, row_number() OVER (PARTITION BY label ORDER BY xxhash64(pc1, pc2, $seed)) AS r\n"
     "    FROM ${" + p + "()}) WHERE r <= 100 ORDER BY label\"\"\"))\n"
     "}\n", scatter((0, "pc1"), (1, "pc2"), group=(2, "digit"))),
    ("shares", "The sample: images per digit", "%spark\n"
     "{\n"
     "  val seed = z.textbox(\"seed\", \"42\").toString.trim\n"
     "  require(seed.matches(\"-?[0-9]+\"), s\"seed must be an integer, got '$seed'\")\n"
     "  z.show(spark.sql(s\"\"\"SELECT CAST(label AS STRING) AS digit, count(*) AS images FROM (\n"
     "    SELECT label, row_number() OVER (PARTITION BY label ORDER BY xxhash64(pc1, pc2, $seed)) AS r\n"
     "    FROM ${" + p + "()}) WHERE r <= 100 GROUP BY label ORDER BY label\"\"\"))\n"
     "}\n", table()),
    ("density", "Density of all test images (30 x 30 cells)", "%spark\n"
     "// Every image counted: the centre of each occupied cell and how many images fall in it.\n"
     "z.show(spark.sql(s\"\"\"WITH b AS (SELECT min(pc1) AS lo1, max(pc1) AS hi1, min(pc2) AS lo2, max(pc2) AS hi2 FROM ${" + p + "()}),\n"
     "  c AS (SELECT least(floor((pc1 - lo1) / greatest(hi1 - lo1, 1e-12) * 30), 29) AS i,\n"
     "               least(floor((pc2 - lo2) / greatest(hi2 - lo2, 1e-12) * 30), 29) AS j, lo1, hi1, lo2, hi2\n"
     "        FROM ${" + p + "()} CROSS JOIN b)\n"
     "  SELECT round(first(lo1) + (i + 0.5) * (first(hi1) - first(lo1)) / 30, 3) AS pc1,\n"
     "         round(first(lo2) + (j + 0.5) * (first(hi2) - first(lo2)) / 30, 3) AS pc2, count(*) AS images\n"
     "  FROM c GROUP BY i, j ORDER BY i, j\"\"\"))\n", scatter((0, "pc1"), (1, "pc2"), size=(2, "images"))),
    ("centres", "Class centres and spread", "%spark\n"
     "z.show(spark.sql(s\"\"\"SELECT label AS digit, count(*) AS images, round(avg(pc1), 3) AS mean_pc1, round(avg(pc2), 3) AS mean_pc2,\n"
     "  round(stddev(pc1), 3) AS sd_pc1, round(stddev(pc2), 3) AS sd_pc2 FROM ${" + p + "()} GROUP BY label ORDER BY label\"\"\"))\n",
     table()),
])

# ---------------------------------------------------------------- sweep
p = "sparkVaeSweep"
note("sweep-results.zpln", "spark-vae/Sweep results", "2SPARKVAESWEEP", 3, [
    ("intro", "A sweep over latent dimension and prior", "%md\n"
     "### Sweep results\n"
     "The test −ELBO (or the tighter IWAE bound on −log p(x)) of every configuration of a `sweep`, one line per prior "
     "against the latent dimension M; the ELBO − IWAE gap (how loose the ELBO is); every result.\n\n"
     "**Data:** `submit/spark-vae sweep --grid GRID.yaml --out SWEEP` writes `SWEEP/results.parquet` after every finished "
     "configuration.\n\n**Fill in the form** **sweepDir** = `SWEEP` (absolute path or Hadoop URI), then *Run all*; the "
     "leaderboard has a **metric** choice.\n\n" + LIMIT_MD + " (The table of results shows the best 1,000.) " + ISOLATION_MD),
    ("settings", "Where the sweep is (forms)", "%spark\n"
     "// The note's forms. Every paragraph reads its data through " + p + "(), which re-reads them.\n" + HELPERS.format(p=p) +
     "def " + p + "(): String = {\n"
     "  val dir = z.noteTextbox(\"sweepDir\", \"\").toString.trim\n"
     "  if (dir.isEmpty) throw new IllegalArgumentException(\"Fill in the form sweepDir (the --out folder of \"\n"
     "    + \"`submit/spark-vae sweep`, as an absolute path or a Hadoop URI), then run the note again.\")\n"
     "  val path = " + p + "Path(dir, \"results.parquet\")\n"
     "  if (!" + p + "Exists(path)) throw new IllegalArgumentException(s\"no results.parquet under $dir: run \"\n"
     "    + s\"`submit/spark-vae sweep --grid GRID.yaml --out $dir` first\")\n"
     "  val view = " + p + "View(\"sweep\", dir)\n"
     "  spark.read.parquet(path.toString).createOrReplaceTempView(view)\n"
     "  view\n"
     "}\n"
     "println(s\"${spark.table(" + p + "()).count()} finished configuration(s) in view ${" + p + "()}\")\n"),
    ("md_leader", "How to read the leaderboard", "%md\n"
     "**Leaderboard.** Lower is better. The −ELBO usually falls with M and flattens (unused dimensions collapse to the "
     "prior); a learned prior (mog, vamp) should sit at or below the Gaussian one. IWAE is a tighter bound: it is only "
     "there for configurations the grid asked to estimate (`iwae_k`)."),
    ("leaderboard", "Leaderboard: metric against M, one line per prior", "%spark\n"
     "{\n"
     "  import org.apache.zeppelin.display.ui.OptionInput.ParamOption\n"
     "  val metric = z.select(\"metric\", Array(new ParamOption(\"test_neg_elbo\", \"test -ELBO\"),\n"
     "    new ParamOption(\"test_nll_iwae\", \"test NLL (IWAE)\")), \"test_neg_elbo\").toString\n"
     "  require(Set(\"test_neg_elbo\", \"test_nll_iwae\")(metric), s\"unknown metric $metric\")\n"
     "  z.show(spark.sql(s\"SELECT latentDim, prior, round(avg($metric), 3) AS $metric FROM ${" + p + "()} \"\n"
     "    + s\"WHERE $metric IS NOT NULL GROUP BY latentDim, prior ORDER BY latentDim, prior\"))\n"
     "}\n", line([(0, "latentDim")], [(2, "test_neg_elbo")], [(1, "prior")])),
    ("gap", "ELBO - IWAE gap per configuration (nats)", "%spark\n"
     "z.show(spark.sql(s\"SELECT concat(prior, ' M=', latentDim) AS config, round(test_neg_elbo - test_nll_iwae, 3) AS elbo_minus_iwae \"\n"
     "  + s\"FROM ${" + p + "()} WHERE test_nll_iwae IS NOT NULL ORDER BY latentDim, prior LIMIT 1000\"))\n",
     bars([(0, "config")], [(1, "elbo_minus_iwae")], stacked=False)),
    ("table", "Every result (best 1,000)", "%spark\n"
     "z.show(spark.sql(s\"\"\"SELECT latentDim, prior, likelihood, arch, seed, epochs, round(test_neg_elbo, 3) AS test_neg_elbo,\n"
     "  round(test_kl, 3) AS test_kl, round(test_nll_iwae, 3) AS test_nll_iwae, round(seconds, 1) AS seconds, mode, model\n"
     "  FROM ${" + p + "()} ORDER BY test_neg_elbo LIMIT 1000\"\"\"))\n", table()),
])

# ---------------------------------------------------------------- prior comparison
p = "sparkVaePriors"
note("prior-comparison.zpln", "spark-vae/Prior comparison", "2SPARKVAEPRIORS", 4, [
    ("intro", "Priors side by side", "%md\n"
     "### Priors side by side\n"
     "Models trained into one folder with different priors, compared epoch by epoch and at their last epoch.\n\n"
     "**Data:** for each prior, `submit/spark-vae train --prior P --model DIR/P.zip` (it writes `DIR/P.metrics.parquet`).\n\n"
     "**Fill in the forms** **runDir** = `DIR` (absolute path or Hadoop URI) and **models** = the names to compare, "
     "comma-separated (default `gaussian,mog,vamp`; missing ones are skipped); the curves have a **metric** choice. "
     "Then *Run all*.\n\n" + LIMIT_MD + " " + ISOLATION_MD),
    ("settings", "Where the runs are (forms)", "%spark\n"
     "// The note's forms. Every paragraph reads its data through " + p + "(), which re-reads them.\n" + HELPERS.format(p=p) +
     "def " + p + "(): String = {\n"
     "  import org.apache.spark.sql.functions.lit\n"
     "  val runDir = z.noteTextbox(\"runDir\", \"\").toString.trim\n"
     "  val models = z.noteTextbox(\"models\", \"gaussian,mog,vamp\").toString.split(\",\").map(_.trim).filter(_.nonEmpty).toSeq\n"
     "  if (runDir.isEmpty || models.isEmpty) throw new IllegalArgumentException(\"Fill in the forms runDir (the folder the \"\n"
     "    + \"models were trained into, as an absolute path or a Hadoop URI) and models (their names), then run the note again.\")\n"
     "  val present = models.filter(m => " + p + "Exists(" + p + "Path(runDir, m + \".metrics.parquet\")))\n"
     "  if (present.isEmpty) throw new IllegalArgumentException(s\"no ${models.mkString(\".metrics.parquet, \")}.metrics.parquet \"\n"
     "    + s\"under $runDir: run `submit/spark-vae train --prior P --model ${runDir.stripSuffix(\"/\")}/P.zip` for each first\")\n"
     "  val view = " + p + "View(\"priors\", runDir, models.mkString(\",\"))\n"
     "  present.map(m => spark.read.parquet(" + p + "Path(runDir, m + \".metrics.parquet\").toString).withColumn(\"model\", lit(m)))\n"
     "    .reduce(_ unionByName _).createOrReplaceTempView(view)\n"
     "  view\n"
     "}\n"
     "println(s\"compared: ${spark.sql(s\"SELECT DISTINCT model FROM ${" + p + "()}\").collect().map(_.getString(0)).sorted.mkString(\", \")}\")\n"),
    ("md_curves", "How to read the comparison", "%md\n"
     "**Per epoch and at the end.** A learned prior (a mixture of Gaussians, or the VampPrior's pseudo-inputs) can fit "
     "the aggregate posterior better than N(0, I): its KL term shrinks, and the −ELBO with it, at some cost per epoch. "
     "Compare at equal epochs; the last paragraph splits each model's final −ELBO into reconstruction and KL."),
    ("curves", "Per epoch, one line per model", "%spark\n"
     "{\n"
     "  import org.apache.zeppelin.display.ui.OptionInput.ParamOption\n"
     "  val metric = z.select(\"metric\", Array(new ParamOption(\"test_neg_elbo\", \"test -ELBO\"),\n"
     "    new ParamOption(\"train_neg_elbo\", \"train -ELBO\"), new ParamOption(\"test_kl\", \"test KL\")), \"test_neg_elbo\").toString\n"
     "  require(Set(\"test_neg_elbo\", \"train_neg_elbo\", \"test_kl\")(metric), s\"unknown metric $metric\")\n"
     "  z.show(spark.sql(s\"SELECT epoch, model, $metric FROM ${" + p + "()} WHERE $metric IS NOT NULL ORDER BY epoch, model\"))\n"
     "}\n", line([(0, "epoch")], [(2, "test_neg_elbo")], [(1, "model")])),
    ("final", "Last epoch: -ELBO = reconstruction + KL per model", "%spark\n"
     "z.show(spark.sql(s\"\"\"SELECT r.model, r.epoch, r.test_neg_elbo, r.test_recon, r.test_kl FROM ${" + p + "()} r\n"
     "  JOIN (SELECT model, max(epoch) AS epoch FROM ${" + p + "()} GROUP BY model) l ON r.model = l.model AND r.epoch = l.epoch\n"
     "  ORDER BY r.test_neg_elbo\"\"\"))\n", bars([(0, "model")], [(3, "test_recon"), (4, "test_kl")])),
])

# ---------------------------------------------------------------- train and explore
p = "sparkVaeTrain"
note("train-and-explore.zpln", "spark-vae/Train and explore", "2SPARKVAETRAIN", 5, [
    ("intro", "Train a VAE and explore it", "%md\n"
     "### Train a VAE here and explore it\n"
     "Fits a small VAE with the Spark ML stages (`VaeEstimator` and MLlib's `PCA` in one `Pipeline`) on a slice of MNIST "
     "read by the `idx` data source, scores the whole test set (`VaeModel.transform`: μ, −ELBO per image) and charts the "
     "latent space and the −ELBO per digit — without leaving Zeppelin.\n\n"
     "**Needs** `target/spark-vae-cluster.jar` (from `mvn package`) in the Spark interpreter's **spark.jars** setting "
     "(*Interpreter* → *spark* → edit → `spark.jars` = `/path/to/spark-vae-cluster.jar`, save, restart the interpreter); "
     "`%spark.conf` cannot add it once the shared interpreter runs. The next paragraph checks.\n\n"
     "**Fill in the forms**: **dataDir** (an MNIST folder: `submit/spark-vae fetch-data` puts one in `data/mnist`; absolute "
     "path or Hadoop URI), **prior**, **latentDim**, **epochs**, **trainImages** (the first N training images). "
     "Then *Run all*: one epoch on 10,000 images takes about a minute on one core.\n\n" + LIMIT_MD + " " + ISOLATION_MD),
    ("check", "Is spark-vae on the interpreter's class path?", "%spark\n"
     "// Reflection only: a paragraph naming a missing class would not compile, and the user would get a compiler error\n"
     "// instead of this sentence (seen in a real Zeppelin 0.12 server).\n"
     "if (scala.util.Try(Class.forName(\"org.sparkvae.ml.VaeEstimator\")).isFailure) throw new IllegalStateException(\n"
     "  \"spark-vae's classes are not on the Spark interpreter's class path: add target/spark-vae-cluster.jar to its spark.jars \"\n"
     "  + \"setting (Interpreter > spark > edit), save, restart the interpreter and run the note again.\")\n"
     "println(\"spark-vae \" + Class.forName(\"org.sparkvae.io.Provenance\").getMethod(\"versions\").invoke(null)\n"
     "  .asInstanceOf[java.util.Map[String, String]].get(\"spark-vae\") + \" is on the class path\")\n"),
    ("settings", "What to train (forms)", "%spark\n"
     "// The note's forms. " + p + "Settings() re-reads them in every paragraph; the view of the scored test set\n"
     "// is named after them and the note id.\n" + HELPERS.format(p=p) +
     "case class " + p + "Conf(dataDir: String, prior: String, latentDim: Int, epochs: Int, trainImages: Int) {\n"
     "  def view: String = " + p + "View(\"trained\", dataDir, prior, latentDim.toString, epochs.toString, trainImages.toString)\n"
     "}\n"
     "def " + p + "Settings(): " + p + "Conf = {\n"
     "  import org.apache.zeppelin.display.ui.OptionInput.ParamOption\n"
     "  val dataDir = z.noteTextbox(\"dataDir\", \"\").toString.trim\n"
     "  val prior = z.noteSelect(\"prior\", Array(new ParamOption(\"gaussian\", \"Gaussian N(0, I)\"),\n"
     "    new ParamOption(\"mog\", \"mixture of Gaussians\"), new ParamOption(\"vamp\", \"VampPrior\")), \"gaussian\").toString\n"
     "  def int(name: String, default: String, lo: Int, hi: Int): Int = {\n"
     "    val v = z.noteTextbox(name, default).toString.trim\n"
     "    scala.util.Try(v.toInt).toOption.filter(i => i >= lo && i <= hi).getOrElse(throw new IllegalArgumentException(\n"
     "      s\"The form $name must be a whole number from $lo to $hi, got '$v'.\"))\n"
     "  }\n"
     "  if (dataDir.isEmpty) throw new IllegalArgumentException(\"Fill in the form dataDir (an MNIST folder such as the data/mnist \"\n"
     "    + \"that `submit/spark-vae fetch-data` writes, as an absolute path or a Hadoop URI), then run the note again.\")\n"
     "  if (!" + p + "Exists(" + p + "Path(dataDir, \"train-images-idx3-ubyte\")) && !" + p + "Exists(" + p + "Path(dataDir, \"train-images-idx3-ubyte.gz\")))\n"
     "    throw new IllegalArgumentException(s\"no train-images-idx3-ubyte[.gz] under $dataDir: run `submit/spark-vae fetch-data` first\")\n"
     "  " + p + "Conf(dataDir, prior, int(\"latentDim\", \"10\", 1, 1000), int(\"epochs\", \"1\", 1, 100), int(\"trainImages\", \"10000\", 100, 60000))\n"
     "}\n"
     "println(" + p + "Settings())\n"),
    ("train", "Train, then score the test set", "%spark\n"
     "{\n"
     "  import org.apache.spark.ml.{Pipeline, PipelineStage}\n"
     "  import org.apache.spark.ml.feature.PCA\n"
     "  import org.sparkvae.ml.{VaeEstimator, VaeEvaluator, VaeModel}\n"
     "  val c = " + p + "Settings()\n"
     "  val train = spark.read.format(\"idx\").load(c.dataDir).where(s\"index < ${c.trainImages}\")\n"
     "  val test = spark.read.format(\"idx\").option(\"split\", \"test\").load(c.dataDir)\n"
     "  val vae = new VaeEstimator().setLatentDim(c.latentDim).setPrior(c.prior).setMaxIter(c.epochs).setSampling(false)\n"
     "  val fitted = new Pipeline().setStages(Array[PipelineStage](vae, new PCA().setInputCol(\"mu\").setOutputCol(\"pcs\").setK(2))).fit(train)\n"
     "  val pcs = org.apache.spark.ml.functions.vector_to_array($\"pcs\")\n"
     "  val scored = fitted.transform(test).select($\"index\", $\"label\", $\"neg_elbo\", $\"recon\", $\"kl\",\n"
     "    pcs.getItem(0).as(\"pc1\"), pcs.getItem(1).as(\"pc2\")).cache()\n"
     "  scored.createOrReplaceTempView(c.view)\n"
     "  val model = fitted.stages(0).asInstanceOf[VaeModel]\n"
     "  val history = model.summary.objectiveHistory.zipWithIndex.map { case (v, i) => (i + 1, v) }.toSeq\n"
     "  history.toDF(\"epoch\", \"train_neg_elbo\").createOrReplaceTempView(" + p + "View(\"history\", c.view))\n"
     "  println(f\"trained on ${c.trainImages} images for ${c.epochs} epoch(s); test -ELBO ${new VaeEvaluator().evaluate(scored)}%.2f nats\")\n"
     "}\n"),
    ("md_charts", "How to read the charts", "%md\n"
     "**Latent space:** 100 test images per digit (an exact stratified sample, seeded) on the first two principal "
     "components of μ(x); ten separated clouds mean the codes know the digit. **−ELBO per digit:** the mean −ELBO, "
     "split into reconstruction and KL; digits with more varied shapes (2, 8) cost more nats than 1s. The per-image "
     "`neg_elbo` column is also an anomaly score: the worst-scored images are listed last."),
    ("scatter", "Latent space: 100 test images per digit", "%spark\n"
     "{\n"
     "  val c = " + p + "Settings()\n"
     "  if (!spark.catalog.tableExists(c.view)) throw new IllegalStateException(\"Run the paragraph 'Train, then score the \"\n"
     "    + \"test set' first (again, if the forms changed).\")\n"
     "  z.show(spark.sql(s\"\"\"SELECT pc1, pc2, CAST(label AS STRING) AS digit FROM (SELECT pc1, pc2, label,\n"
     "    row_number() OVER (PARTITION BY label ORDER BY xxhash64(index, 42)) AS r FROM ${c.view}) WHERE r <= 100 ORDER BY label\"\"\"))\n"
     "}\n", scatter((0, "pc1"), (1, "pc2"), group=(2, "digit"))),
    ("per_digit", "-ELBO per digit = reconstruction + KL (nats)", "%spark\n"
     "{\n"
     "  val c = " + p + "Settings()\n"
     "  if (!spark.catalog.tableExists(c.view)) throw new IllegalStateException(\"Run the paragraph 'Train, then score the \"\n"
     "    + \"test set' first (again, if the forms changed).\")\n"
     "  z.show(spark.sql(s\"SELECT CAST(label AS STRING) AS digit, round(avg(recon), 2) AS recon, round(avg(kl), 2) AS kl, \"\n"
     "    + s\"count(*) AS images FROM ${c.view} GROUP BY label ORDER BY label\"))\n"
     "}\n", bars([(0, "digit")], [(1, "recon"), (2, "kl")])),
    ("worst", "The 20 worst-scored test images (anomalies)", "%spark\n"
     "{\n"
     "  val c = " + p + "Settings()\n"
     "  if (!spark.catalog.tableExists(c.view)) throw new IllegalStateException(\"Run the paragraph 'Train, then score the \"\n"
     "    + \"test set' first (again, if the forms changed).\")\n"
     "  z.show(spark.sql(s\"SELECT index, label, round(neg_elbo, 2) AS neg_elbo FROM ${c.view} ORDER BY neg_elbo DESC LIMIT 20\"))\n"
     "}\n", table()),
    ("history", "Training -ELBO per epoch", "%spark\n"
     "{\n"
     "  val c = " + p + "Settings()\n"
     "  if (!spark.catalog.tableExists(c.view)) throw new IllegalStateException(\"Run the paragraph 'Train, then score the \"\n"
     "    + \"test set' first (again, if the forms changed).\")\n"
     "  z.show(spark.table(" + p + "View(\"history\", c.view)))\n"
     "}\n", line([(0, "epoch")], [(1, "train_neg_elbo")])),
])
