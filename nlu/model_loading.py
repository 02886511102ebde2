"""Loading a trained model in about half the time: Rasa's TF models built by an eager step.

Rasa 3.6 builds each TF model it loads (DIET, the ResponseSelector) by training it for one step on
one example, so that every variable exists before the saved weights are restored over them
(``RasaModel.load``). That step runs as a traced ``tf.function``: autograph converts the whole
training loss, about 5 s per model on the 2-core machine, for a training function serving never
calls again. Run eagerly, the same step creates the same variables in a fraction of that; the
weights restored over them and the traced prediction function are Rasa's own, so every parse is
the same (tests/rasa/test_model_loading.py compares them).

Every Rasa start pays this: ``make run``, a replica coming back after a crash (the other replica
carries its conversations meanwhile), and each stack the end-to-end and fault tests start
(``make test`` starts about fifteen). A model loaded 22.6 s → 11.7 s on 2026-12-07.
"""

from __future__ import annotations

from typing import Any

# RasaModel.load as Rasa wrote it (a classmethod object), kept by install() for finetuning.
_rasa_load: Any = None


def eager_load(
    cls: Any,
    model_file_name: str,
    model_data_example: Any,
    predict_data_example: Any = None,
    finetune_mode: bool = False,
    *args: Any,
    **kwargs: Any,
) -> Any:
    """``RasaModel.load`` (as a classmethod), with the one building step run eagerly."""
    import tensorflow as tf
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY
    from rasa.utils.tensorflow.data_generator import RasaBatchDataGenerator

    if finetune_mode:  # training goes on from the loaded weights: Rasa's own way
        if _rasa_load is None:
            raise RuntimeError("finetuning needs Rasa's own RasaModel.load (see install())")
        return _rasa_load.__func__(
            cls, model_file_name, model_data_example, predict_data_example, True, *args, **kwargs
        )
    model = cls(*args, **kwargs)
    config = kwargs.get("config", {})
    model.compile(
        optimizer=tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001)), run_eagerly=True
    )
    model.fit(RasaBatchDataGenerator(model_data_example, batch_size=1), verbose=False)
    model.load_weights(model_file_name)
    # Predictions as Rasa makes them: traced, unless the component's config says otherwise.
    model.run_eagerly = config.get(RUN_EAGERLY)
    if predict_data_example:
        model.run_inference(predict_data_example)  # traces the prediction function now
    return model


def install() -> None:
    """Make ``RasaModel.load`` build eagerly (idempotent; imports TensorFlow)."""
    global _rasa_load
    from rasa.utils.tensorflow.models import RasaModel

    if _rasa_load is None:
        _rasa_load = RasaModel.__dict__["load"]
    RasaModel.load = classmethod(eager_load)
