"""Airflow DAG example: a weekly spark-vae sweep through spark-submit (SparkSubmitOperator).

Copy into Airflow's dags/ folder; needs apache-airflow-providers-apache-spark and a Spark connection
(`spark_default`) whose host is the cluster's master, e.g. spark://127.0.0.1:7077. The application
is the shaded jar (`mvn package` -> target/spark-vae-cluster.jar); Spark and Hadoop are provided by
the cluster. The sweep is resumable: a retry skips the configurations that already finished, and it
exits non-zero (so the task fails and retries) when any configuration failed.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

SPARK_VAE = "/opt/spark-vae"  # the checkout (jar, conf/, data/)

with DAG(
    dag_id="spark_vae_sweep",
    start_date=datetime(2026, 11, 1),
    schedule="0 2 * * 6",
    catchup=False,
    default_args={"retries": 2, "retry_delay": timedelta(minutes=10)},
    tags=["spark-vae"],
) as dag:
    SparkSubmitOperator(
        task_id="sweep_latent_prior",
        conn_id="spark_default",
        application=f"{SPARK_VAE}/target/spark-vae-cluster.jar",
        java_class="org.sparkvae.cli.SparkVaeCli",
        application_args=[
            "sweep",
            "--grid", f"{SPARK_VAE}/conf/sweep-latent-prior.yaml",
            "--out", f"{SPARK_VAE}/runs/sweep-latent-prior",
            "--data-root", f"{SPARK_VAE}/data",
            "--parallel", "configs",
        ],
        properties_file=f"{SPARK_VAE}/conf/spark-defaults.conf",
        env_vars={"OMP_NUM_THREADS": "1"},
        verbose=False,
    )
